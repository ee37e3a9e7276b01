/**
 * What the outbox announces, by topic, with each topic's payload. A payload names what happened
 * (ids, titles, instants) and never a person's data; a deliverer looks up whom to tell.
 * A new event is one line here and one enqueueOutbox call inside the transaction that makes it.
 */
export interface OutboxTopics {
  /** A vote opened for ballots (its electorate is frozen). */
  'vote.opened': { voteId: string; title: string; opensAt: string; closesAt: string }
  /** A vote closed and its 表决结果 notice was published. */
  'vote.resultPublished': { voteId: string; title: string; noticeId: string }
  /**
   * A 停水停电 notice was published (or scheduled: the row is not delivered before publishAt).
   * A scheduled notice may still be edited or withdrawn: a deliverer reads the notice before sending.
   */
  'notice.outagePublished': { noticeId: string; title: string; publishAt: string }
}

export type OutboxTopic = keyof OutboxTopics
