import type { boardEn } from './board-en'

/** Simplified Chinese strings of the kanban board. */
export const boardZhCN: Record<keyof typeof boardEn, string> = {
  'board.open': '看板',
  'board.list': '列表',
  'board.empty': '没有记录。',
  'board.more': '此列还有更多记录未显示。',
  'board.dragHint': '将卡片拖到其他列即可推进。',
  'board.moved': '“{title}”已移至“{to}”。',
  'board.refused.none': '“{title}”无法从“{from}”移到“{to}”：没有通向该列的操作。',
  'board.refused.held': '“{title}”现在无法移到“{to}”：{reason}',
  'board.notDroppable': '不能放在这里',
}
