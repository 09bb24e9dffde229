import type { boardEn } from './board-en'

/** Korean strings of the kanban board. */
export const boardKo: Record<keyof typeof boardEn, string> = {
  'board.open': '보드',
  'board.list': '목록',
  'board.empty': '레코드가 없습니다.',
  'board.more': '이 열에 표시되지 않은 레코드가 더 있습니다.',
  'board.dragHint': '카드를 다른 열로 끌어 단계를 진행하세요.',
  'board.moved': '“{title}”을(를) “{to}”(으)로 옮겼습니다.',
  'board.refused.none':
    '“{title}”은(는) “{from}”에서 “{to}”(으)로 갈 수 없습니다: 그곳으로 가는 작업이 없습니다.',
  'board.refused.held': '“{title}”은(는) 지금 “{to}”(으)로 갈 수 없습니다: {reason}',
  'board.notDroppable': '여기에 놓을 수 없습니다',
}
