import type { DemoRandom } from './random'

/** The three demo populations: Chinese, Korean and English-speaking customers and staff. */
export type DemoLocale = 'zh' | 'ko' | 'en'

type Pair = readonly [native: string, latin: string]

const ZH_SURNAMES: Pair[] = [
  ['王', 'wang'],
  ['李', 'li'],
  ['张', 'zhang'],
  ['刘', 'liu'],
  ['陈', 'chen'],
  ['杨', 'yang'],
  ['黄', 'huang'],
  ['赵', 'zhao'],
  ['吴', 'wu'],
  ['周', 'zhou'],
  ['徐', 'xu'],
  ['孙', 'sun'],
  ['马', 'ma'],
  ['朱', 'zhu'],
  ['胡', 'hu'],
  ['郭', 'guo'],
  ['何', 'he'],
  ['林', 'lin'],
]
const ZH_GIVEN: Pair[] = [
  ['伟', 'wei'],
  ['芳', 'fang'],
  ['娜', 'na'],
  ['敏', 'min'],
  ['静', 'jing'],
  ['磊', 'lei'],
  ['洋', 'yang'],
  ['勇', 'yong'],
  ['杰', 'jie'],
  ['涛', 'tao'],
  ['明', 'ming'],
  ['超', 'chao'],
  ['秀英', 'xiuying'],
  ['建华', 'jianhua'],
  ['志强', 'zhiqiang'],
  ['晓东', 'xiaodong'],
  ['海燕', 'haiyan'],
  ['丽华', 'lihua'],
  ['子涵', 'zihan'],
  ['浩然', 'haoran'],
  ['雨桐', 'yutong'],
]
const KO_SURNAMES: Pair[] = [
  ['김', 'kim'],
  ['이', 'lee'],
  ['박', 'park'],
  ['최', 'choi'],
  ['정', 'jung'],
  ['강', 'kang'],
  ['조', 'cho'],
  ['윤', 'yoon'],
  ['장', 'jang'],
  ['임', 'lim'],
  ['한', 'han'],
  ['오', 'oh'],
]
const KO_GIVEN: Pair[] = [
  ['민준', 'minjun'],
  ['서연', 'seoyeon'],
  ['도윤', 'doyoon'],
  ['지우', 'jiwoo'],
  ['하은', 'haeun'],
  ['서준', 'seojun'],
  ['예은', 'yeeun'],
  ['지호', 'jiho'],
  ['수빈', 'subin'],
  ['현우', 'hyunwoo'],
  ['지민', 'jimin'],
  ['유진', 'yujin'],
  ['성민', 'sungmin'],
  ['동현', 'donghyun'],
  ['은지', 'eunji'],
]
const EN_FIRST = [
  'James',
  'Emma',
  'Olivia',
  'Liam',
  'Noah',
  'Ava',
  'Sophia',
  'Lucas',
  'Mia',
  'Ethan',
  'Amelia',
  'Daniel',
  'Grace',
  'Henry',
  'Chloe',
  'Jack',
]
const EN_LAST = [
  'Smith',
  'Johnson',
  'Brown',
  'Taylor',
  'Miller',
  'Davis',
  'Wilson',
  'Clark',
  'Lewis',
  'Walker',
  'Hall',
  'Young',
  'King',
  'Wright',
  'Scott',
  'Green',
]

/** A Chinese city: name, telephone area code, a business street, and its sales region. */
export type ZhCity = readonly [name: string, areaCode: string, street: string, region: string]

export const ZH_CITIES: readonly ZhCity[] = [
  ['上海', '021', '浦东新区张江路', 'east'],
  ['北京', '010', '海淀区中关村大街', 'north'],
  ['深圳', '0755', '南山区科技园路', 'south'],
  ['杭州', '0571', '西湖区文三路', 'east'],
  ['苏州', '0512', '工业园区星湖街', 'east'],
  ['广州', '020', '天河区体育西路', 'south'],
  ['成都', '028', '高新区天府大道', 'west'],
  ['武汉', '027', '洪山区光谷大道', 'central'],
  ['南京', '025', '江宁区双龙大道', 'east'],
  ['天津', '022', '滨海新区第三大街', 'north'],
  ['西安', '029', '雁塔区科技路', 'west'],
  ['长沙', '0731', '岳麓区麓谷大道', 'central'],
]
const ZH_CORES: Pair[] = [
  ['华信', 'huaxin'],
  ['鼎盛', 'dingsheng'],
  ['瑞丰', 'ruifeng'],
  ['恒通', 'hengtong'],
  ['嘉禾', 'jiahe'],
  ['远航', 'yuanhang'],
  ['金桥', 'jinqiao'],
  ['中科', 'zhongke'],
  ['新锐', 'xinrui'],
  ['博远', 'boyuan'],
  ['汇智', 'huizhi'],
  ['启明', 'qiming'],
  ['联创', 'lianchuang'],
  ['泰和', 'taihe'],
  ['永鑫', 'yongxin'],
  ['海纳', 'haina'],
  ['天成', 'tiancheng'],
  ['盛达', 'shengda'],
  ['宏图', 'hongtu'],
  ['东方', 'dongfang'],
]
const KO_CORES: Pair[] = [
  ['한빛', 'hanbit'],
  ['대성', 'daesung'],
  ['미래', 'mirae'],
  ['세진', 'sejin'],
  ['동양', 'dongyang'],
  ['새한', 'saehan'],
  ['태광', 'taekwang'],
  ['성원', 'sungwon'],
  ['금강', 'geumgang'],
  ['신우', 'shinwoo'],
  ['현진', 'hyunjin'],
  ['청솔', 'cheongsol'],
  ['보람', 'boram'],
  ['누리', 'nuri'],
  ['한결', 'hangyeol'],
  ['다온', 'daon'],
]
const EN_CORES = [
  'Northwind',
  'Blue Harbor',
  'Silverline',
  'Summit',
  'Evergreen',
  'Redwood',
  'Pioneer',
  'Atlas',
  'Crescent',
  'Brightwater',
  'Ironbridge',
  'Oakridge',
  'Lakeside',
  'Westfield',
  'Granite',
  'Cobalt',
  'Sterling',
  'Horizon',
]

/** Industry → the word a company name uses for it, per locale. */
const INDUSTRY_WORDS: Record<string, { zh: string[]; ko: string[]; en: string[] }> = {
  manufacturing: {
    zh: ['机械制造', '精密机械', '电子'],
    ko: ['정밀', '전자', '산업'],
    en: ['Manufacturing', 'Industries'],
  },
  retail: { zh: ['商贸', '百货'], ko: ['유통', '물산'], en: ['Retail', 'Trading'] },
  it: {
    zh: ['信息技术', '软件', '网络科技'],
    ko: ['소프트', '시스템', '테크'],
    en: ['Software', 'Systems'],
  },
  finance: { zh: ['投资管理', '融资租赁'], ko: ['캐피탈', '인베스트'], en: ['Capital', 'Finance'] },
  healthcare: { zh: ['医疗器械', '生物科技'], ko: ['메디칼', '바이오'], en: ['Health', 'Medical'] },
  education: { zh: ['教育科技', '培训'], ko: ['에듀', '교육'], en: ['Learning', 'Education'] },
  construction: {
    zh: ['建设工程', '建材'],
    ko: ['건설', '건축'],
    en: ['Builders', 'Construction'],
  },
  logistics: { zh: ['物流', '供应链管理'], ko: ['로지스', '물류'], en: ['Logistics', 'Freight'] },
  other: { zh: ['实业', '科技'], ko: ['상사', '코리아'], en: ['Group', 'Partners'] },
}

/** A person's name in the locale, with a latin handle for e-mail addresses. */
export function personName(rng: DemoRandom, locale: DemoLocale): { name: string; handle: string } {
  if (locale === 'zh') {
    const [s, sl] = rng.pick(ZH_SURNAMES)
    const [g, gl] = rng.pick(ZH_GIVEN)
    return { name: s + g, handle: `${gl}.${sl}` }
  }
  if (locale === 'ko') {
    const [s, sl] = rng.pick(KO_SURNAMES)
    const [g, gl] = rng.pick(KO_GIVEN)
    return { name: s + g, handle: `${gl}.${sl}` }
  }
  const first = rng.pick(EN_FIRST)
  const last = rng.pick(EN_LAST)
  return { name: `${first} ${last}`, handle: `${first}.${last}`.toLowerCase() }
}

/** A company name in the locale for an industry, with a latin slug for its web domain. */
export function companyName(
  rng: DemoRandom,
  locale: DemoLocale,
  industry: string,
  city: ZhCity = rng.pick(ZH_CITIES),
): { name: string; slug: string } {
  const words = INDUSTRY_WORDS[industry] ?? INDUSTRY_WORDS.other
  if (locale === 'zh') {
    const [core, slug] = rng.pick(ZH_CORES)
    const suffix = rng.chance(0.2) ? '股份有限公司' : '有限公司'
    return { name: `${city[0]}${core}${rng.pick(words.zh)}${suffix}`, slug }
  }
  if (locale === 'ko') {
    const [core, slug] = rng.pick(KO_CORES)
    const word = rng.pick(words.ko)
    return { name: rng.chance(0.5) ? `(주)${core}${word}` : `${core}${word} 주식회사`, slug }
  }
  const core = rng.pick(EN_CORES)
  const name = `${core} ${rng.pick(words.en)} ${rng.pick(['Ltd.', 'Inc.', 'Co.', 'LLC'])}`
  return { name, slug: core.toLowerCase().replace(/\s+/g, '') }
}

/** A mobile number in the locale's usual format (555 numbers for the fictional English ones). */
export function mobilePhone(rng: DemoRandom, locale: DemoLocale): string {
  if (locale === 'zh') return `1${rng.pick(['35', '38', '39', '58', '86', '88'])}${rng.digits(8)}`
  if (locale === 'ko') return `010-${rng.digits(4)}-${rng.digits(4)}`
  return `+1 ${rng.pick(['212', '312', '415', '617'])}-555-${rng.digits(4)}`
}

/** An office (landline) number in the locale's usual format. */
export function officePhone(
  rng: DemoRandom,
  locale: DemoLocale,
  city: ZhCity = rng.pick(ZH_CITIES),
): string {
  if (locale === 'zh') return `${city[1]}-${rng.digits(8)}`
  if (locale === 'ko')
    return `0${rng.pick(['2', '31', '51', '42'])}-${rng.digits(3)}-${rng.digits(4)}`
  return `+1 ${rng.pick(['206', '646', '408'])}-555-${rng.digits(4)}`
}

/** The top-level domain companies of the locale use. */
export function domainSuffix(locale: DemoLocale): string {
  return locale === 'zh' ? 'com.cn' : locale === 'ko' ? 'co.kr' : 'com'
}
