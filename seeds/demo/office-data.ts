import type { DemoContext } from './demo-context'
import { DEMO_PEOPLE, DEMO_WORKERS, toDemoUser } from './people'

const ANNOUNCEMENTS: [string, string][] = [
  ['关于 2025 年端午节放假安排的通知', 'notice'],
  ['서울지사 사무실 이전 안내', 'notice'],
  ['Q2 sales kick-off: targets and territories', 'news'],
  ['差旅费报销管理办法（修订）', 'policy'],
  ['公司荣获"专精特新"企业称号', 'news'],
  ['하반기 워크숍 참가 신청', 'event'],
  ['Information security policy update', 'policy'],
  ['年度体检安排', 'event'],
]
const LEAVE_REASONS: Record<string, string> = {
  annual: '年假休息',
  sick: '感冒发烧，需就医',
  personal: '家中有事需处理',
  marriage: '结婚',
  parental: '陪产假',
  compensatory: '周末加班调休',
}
const CLAIMS: [string, string, number, number][] = [
  ['上海—北京出差往返机票及住宿', 'travel', 1500, 6000],
  ['客户午餐', 'meals', 100, 800],
  ['市内打车费', 'transport', 30, 300],
  ['办公用品采购', 'office', 50, 1200],
  ['PMP 认证培训', 'training', 2000, 6000],
  ['고객 미팅 교통비', 'transport', 20, 200],
]
const SCHEDULE: [string, string][] = [
  ['部门周例会', 'meeting'],
  ['客户电话回访', 'call'],
  ['提交月度销售报表', 'task'],
  ['合同续签提醒', 'reminder'],
  ['주간 영업 회의', 'meeting'],
  ['Product roadmap review', 'meeting'],
  ['体检', 'personal'],
]

/**
 * One announcement per title. Each one published tells every member of staff (an alert), so
 * titles are never repeated to pad a count: 20 made the same notices again as "… (2)", "… (3)"
 * and filled everyone's notifications.
 */
function makeAnnouncements(ctx: DemoContext): void {
  for (let i = 0; i < ctx.count(20); i++) {
    // Drawn for every one of the 20 once made here (its id too), so the records made after
    // keep their draws.
    const days = -ctx.rng.int(0, 200)
    const author = toDemoUser(ctx.rng.pick(DEMO_WORKERS.hr))
    if (i >= ANNOUNCEMENTS.length) {
      ctx.rng.uuid()
      continue
    }
    const [title, category] = ANNOUNCEMENTS[i]
    ctx.add('announcement', {
      title,
      category,
      publishedAt: ctx.at(days, 1, 30),
      expiresOn: category === 'event' || category === 'notice' ? ctx.day(days + 30) : null,
      pinned: i < 2,
      author,
      body: `<p>${title}</p><p>…</p>`,
    })
  }
}

function makeLeaveAndClaims(ctx: DemoContext): void {
  const { rng } = ctx
  // Everyone files their own leave and claims: the applicant is the person, owner of the record.
  const staff = DEMO_PEOPLE
  for (let i = 0; i < ctx.count(60); i++) {
    const leaveType = rng.weighted({
      annual: 6,
      sick: 3,
      personal: 3,
      marriage: 1,
      parental: 1,
      compensatory: 3,
    })
    const start = rng.int(-200, 40)
    const length =
      leaveType === 'marriage' || leaveType === 'parental' ? rng.int(5, 14) : rng.int(0, 3)
    const halfDay = length === 0 && rng.chance(0.4)
    const person = rng.pick(staff)
    ctx.add('leaveRequest', {
      // Its department is filled from the applicant's personnel file (latestFrom).
      applicant: toDemoUser(person.username),
      leaveType,
      startDate: ctx.day(start),
      endDate: ctx.day(start + length),
      halfDay,
      reason: LEAVE_REASONS[leaveType],
      status:
        start > 0
          ? rng.weighted({ draft: 2, approved: 2 })
          : rng.weighted({ approved: 8, rejected: 1 }),
    })
  }
  for (let i = 0; i < ctx.count(60); i++) {
    const [title, category, min, max] = rng.pick(CLAIMS)
    const days = -rng.int(0, 200)
    ctx.add('expenseClaim', {
      title,
      applicant: toDemoUser(rng.pick(staff).username),
      category,
      amount: ctx.money(rng.int(min, max)),
      incurredOn: ctx.day(days),
      status:
        days > -10
          ? rng.weighted({ draft: 3, approved: 1 })
          : rng.weighted({ approved: 8, rejected: 1 }),
      description: null,
    })
  }
}

function makeSchedule(ctx: DemoContext): void {
  const { rng } = ctx
  for (let i = 0; i < ctx.count(120); i++) {
    const [title, type] = rng.pick(SCHEDULE)
    const days = rng.int(-30, 30)
    const allDay = type === 'personal' || (type === 'reminder' && rng.chance(0.5))
    const startAt = allDay ? ctx.at(days, 0) : ctx.at(days, rng.int(0, 9), rng.pick([0, 30]))
    ctx.add('scheduleItem', {
      title,
      type,
      startAt,
      endAt: allDay ? ctx.addHours(startAt, 24) : ctx.addHours(startAt, rng.pick([0.5, 1, 1.5, 2])),
      allDay,
      location: type === 'meeting' ? rng.pick(['3 楼大会议室', '서울지사 회의실', 'Zoom']) : null,
      remindMinutesBefore: rng.pick([null, 10, 15, 30, 60]),
      owner: toDemoUser(DEMO_PEOPLE[i % DEMO_PEOPLE.length].username),
      description: null,
    })
  }
}

/** Announcements, leave requests, expense claims and the personal schedule. */
export function makeOfficeData(ctx: DemoContext): void {
  makeAnnouncements(ctx)
  makeLeaveAndClaims(ctx)
  makeSchedule(ctx)
}
