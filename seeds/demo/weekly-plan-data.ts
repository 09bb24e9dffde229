import type { DemoContext } from './demo-context'
import { DEMO_WORKERS, toDemoUser } from './people'

const PLANS = [
  '拜访华东区重点客户 3 家，推进两个方案报价；整理上月回款明细。',
  '完成新产品培训；跟进展会线索 10 条，安排两次上门演示。',
  '准备季度商务谈判材料，与技术部门确认交付排期。',
  '주요 고객 2곳 방문, 견적 후속 조치 및 계약 갱신 협의.',
  'Close the two open negotiations; follow up on last week’s demo requests.',
]
const SUMMARIES = [
  '上周完成拜访 4 次，新增商机 2 个，回款 12 万元。',
  '演示反馈良好，一家客户进入商务谈判阶段。',
  '지난주 신규 리드 5건 확보, 견적 2건 발송.',
  'Two proposals sent, one deal won; the rest move to next week.',
]
const COMMENTS = [
  '计划清晰，注意重点客户的回款节奏。',
  '请优先推进谈判中的商机。',
  'Good plan; keep the pipeline updated.',
]

/**
 * Weekly plans (员工中心) of the sales people for the last six weeks: past weeks reviewed by the
 * manager through the review flow, this week's still a draft.
 */
export function makeWeeklyPlans(ctx: DemoContext): void {
  const { rng } = ctx
  const weekday = new Date(`${ctx.day(0)}T00:00:00.000Z`).getUTCDay()
  const monday = -((weekday + 6) % 7)
  for (const username of DEMO_WORKERS.sales) {
    for (let week = 5; week >= 0; week--) {
      const weekStart = ctx.day(monday - week * 7)
      const reviewed = week > 0
      ctx.add('weeklyPlan', {
        title: `周计划 ${weekStart}`,
        weekStart,
        owner: toDemoUser(username),
        plan: rng.pick(PLANS),
        summary: rng.pick(SUMMARIES),
        status: reviewed ? 'reviewed' : 'draft',
        managerComment: reviewed && rng.chance(0.7) ? rng.pick(COMMENTS) : null,
      })
    }
  }
}
