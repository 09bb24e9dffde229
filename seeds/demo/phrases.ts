import type { DemoLocale } from './names'
import type { DemoRandom } from './random'

type Pool = Record<DemoLocale, readonly string[]>

/** Sentences and short texts used by the demo records, per locale. */
export const PHRASES = {
  street: {
    zh: [
      '浦东新区张江路',
      '海淀区中关村大街',
      '南山区科技园路',
      '西湖区文三路',
      '工业园区星湖街',
      '天河区体育西路',
    ],
    ko: [
      '서울특별시 강남구 테헤란로',
      '경기도 성남시 분당구 판교역로',
      '부산광역시 해운대구 센텀중앙로',
      '대전광역시 유성구 대학로',
    ],
    en: [
      'Market Street, San Francisco',
      'Michigan Avenue, Chicago',
      'Boylston Street, Boston',
      'Broadway, New York',
    ],
  },
  jobTitle: {
    zh: ['采购经理', '总经理', '技术总监', '财务主管', '行政专员', '生产经理', 'IT 经理'],
    ko: ['구매팀장', '대표이사', '기술이사', '재무과장', '총무대리', '생산부장', '전산팀장'],
    en: [
      'Purchasing Manager',
      'CEO',
      'CTO',
      'Finance Lead',
      'Office Manager',
      'Plant Manager',
      'IT Manager',
    ],
  },
  followUpSubject: {
    zh: [
      '电话沟通采购需求',
      '上门拜访',
      '方案演示',
      '报价跟进',
      '合同条款确认',
      '售后回访',
      '年度合作洽谈',
    ],
    ko: [
      '구매 요구 전화 상담',
      '고객사 방문',
      '솔루션 시연',
      '견적 후속 연락',
      '계약 조건 확인',
      '사후 관리 연락',
    ],
    en: [
      'Call about purchasing needs',
      'On-site visit',
      'Product demo',
      'Quote follow-up',
      'Contract terms review',
      'Account check-in',
    ],
  },
  followUpContent: {
    zh: [
      '客户对新一代产品很感兴趣，希望下周收到正式报价。',
      '与采购经理确认了交货期，对方预算在本季度内审批。',
      '演示了系统主要功能，技术部门提出了接口对接的问题，需要安排工程师答复。',
      '客户反馈价格偏高，竞争对手报价低约 8%，需要评估折扣空间。',
      '拜访了生产现场，了解到明年有两条产线需要改造。',
    ],
    ko: [
      '신제품에 큰 관심을 보였으며 다음 주까지 정식 견적을 요청함.',
      '구매팀장과 납기 일정을 확인함. 이번 분기 내 예산 승인 예정.',
      '주요 기능을 시연함. 전산팀에서 연동 관련 질문이 있어 엔지니어 답변이 필요함.',
      '가격이 높다는 의견. 경쟁사 견적이 약 8% 낮아 할인 여지를 검토해야 함.',
    ],
    en: [
      'Strong interest in the new product line; they want a formal quote next week.',
      'Confirmed delivery dates with purchasing; budget approval expected this quarter.',
      'Demoed the main features; IT asked about the integration, an engineer will follow up.',
      'They find the price high — a competitor quoted about 8% less. Review discount room.',
    ],
  },
  nextStep: {
    zh: ['发送正式报价', '安排技术交流', '邀请参观工厂', '提交合同草稿', '确认付款方式'],
    ko: ['정식 견적 발송', '기술 미팅 일정 조율', '공장 견학 초청', '계약서 초안 전달'],
    en: [
      'Send the formal quote',
      'Schedule a technical session',
      'Invite to a site tour',
      'Send the draft contract',
    ],
  },
  managerComment: {
    zh: [
      '跟进及时，注意推动报价尽快落地。',
      '客户预算有限，可申请特价。',
      '请同步技术部门，下周一起拜访。',
    ],
    ko: [
      '후속 조치가 빠릅니다. 견적을 서둘러 주세요.',
      '예산이 제한적이니 특별 할인을 신청해 보세요.',
      '기술팀과 공유하고 다음 주에 함께 방문하세요.',
    ],
    en: [
      'Good follow-up — push the quote through.',
      'Budget is tight; ask for a special price.',
      'Loop in the engineers and visit together next week.',
    ],
  },
  opportunity: {
    zh: [
      '年度设备采购项目',
      '生产线自动化改造',
      'ERP 系统升级',
      '办公网络扩容',
      '仓储管理系统建设',
      '备品备件年度框架协议',
    ],
    ko: [
      '연간 설비 구매',
      '생산라인 자동화',
      'ERP 시스템 고도화',
      '사무실 네트워크 증설',
      '창고 관리 시스템 구축',
    ],
    en: [
      'Annual equipment purchase',
      'Production line automation',
      'ERP upgrade',
      'Office network expansion',
      'Warehouse system rollout',
    ],
  },
  lostNote: {
    zh: ['客户最终选择了价格更低的本地供应商。', '预算被冻结，项目推迟到明年。'],
    ko: ['고객이 더 저렴한 현지 공급사를 선택함.', '예산 동결로 프로젝트가 내년으로 연기됨.'],
    en: ['They went with a cheaper local supplier.', 'Budget frozen; project pushed to next year.'],
  },
  // Who won a deal we lost.
  competitor: {
    zh: ['华信科技', '东方智联', '博远软件', '中科云创'],
    ko: ['한빛솔루션', '대성정보', '누리테크', '제일시스템'],
    en: ['Northwind Systems', 'Contoso Tech', 'Fabrikam', 'Globex'],
  },
  ticketSubject: {
    zh: [
      '设备无法开机',
      '系统登录异常',
      '新设备安装调试',
      '打印模块卡纸',
      '定期保养预约',
      '数据同步失败',
    ],
    ko: [
      '장비 전원이 켜지지 않음',
      '시스템 로그인 오류',
      '신규 장비 설치',
      '출력 모듈 용지 걸림',
      '정기 점검 예약',
    ],
    en: [
      'Device does not power on',
      'Cannot log in to the system',
      'New device installation',
      'Printer module jams',
      'Book routine maintenance',
    ],
  },
  resolution: {
    zh: [
      '更换电源模块后恢复正常。',
      '重置账号权限并指导客户重新登录。',
      '现场完成安装调试，客户签字确认。',
    ],
    ko: [
      '전원 모듈 교체 후 정상 작동.',
      '계정 권한을 초기화하고 재로그인을 안내함.',
      '현장 설치를 완료하고 고객 서명을 받음.',
    ],
    en: [
      'Replaced the power module; working again.',
      'Reset the account permissions and walked them through logging in.',
      'Installed on site; customer signed off.',
    ],
  },
  complaint: {
    zh: ['工程师上门迟到两小时', '发票开具错误', '产品到货外包装破损'],
    ko: ['엔지니어가 두 시간 늦게 방문함', '세금계산서 발행 오류', '배송 상품 포장 파손'],
    en: [
      'Engineer arrived two hours late',
      'Invoice issued with wrong details',
      'Product arrived with damaged packaging',
    ],
  },
} satisfies Record<string, Pool>

/** A random phrase of a kind in a locale. */
export function phrase(rng: DemoRandom, kind: keyof typeof PHRASES, locale: DemoLocale): string {
  return rng.pick(PHRASES[kind][locale])
}
