/** English strings of the kanban board (merged into `en`). */
export const boardEn = {
  'board.open': 'Board',
  'board.list': 'List',
  'board.empty': 'No records.',
  'board.more': 'More records in this column are not shown.',
  'board.dragHint': 'Drag a card to another column to move it on.',
  'board.moved': '“{title}” moved to “{to}”.',
  'board.refused.none': '“{title}” cannot go from “{from}” to “{to}”: no action leads there.',
  'board.refused.held': '“{title}” cannot go to “{to}” now: {reason}',
  'board.notDroppable': 'Cannot be dropped here',
}
