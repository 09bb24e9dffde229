import type { Entity } from '../../metadata/entity'
import type { AssignLeave } from '../../metadata/pool'

const label = (en: string) => ({ en })

/** The statuses a leave request of the assignment tests may have. */
export const LEAVE_STATUSES = ['submitted', 'approved', 'granted']

/** Leave requests: whose, from and to which day, and their status. */
export const leaveRequest: Entity = {
  id: 'leaveRequest',
  label: label('Leave'),
  ownerField: 'applicant',
  fields: [
    { name: 'applicant', type: 'user', label: label('Applicant') },
    { name: 'startDate', type: 'date', label: label('Start') },
    { name: 'endDate', type: 'date', label: label('End') },
    {
      name: 'status',
      type: 'select',
      label: label('Status'),
      options: LEAVE_STATUSES.map((value) => ({ value, label: label(value) })),
    },
  ],
}

/** An assignment rule's `leave`: people on approved leave requests are skipped. */
export const leave: AssignLeave = {
  entity: 'leaveRequest',
  userField: 'applicant',
  startField: 'startDate',
  endField: 'endDate',
  statusField: 'status',
}
