/**
 * The journal as a listener of the request pipeline: imported for its effect by the modules that
 * send on a program's behalf (lib/api.ts, lib/orm/resource.ts, lib/journal/index.ts), it subscribes
 * the journal once to every request. Each request the journal wants (writes; reads when
 * configured) gets its intent line appended before it is handed to the transport, and its outcome
 * line when the answer or the failure is known. A synchronous request's lines are written at once;
 * an asynchronous request's are written with the other lines of the same turn of the event loop,
 * under one lock (`journalIntentSoon`, `journalOutcome`), the intent still before the request leaves.
 */
import { addExchangeListener } from '../http/listeners.js';
import { journalIntent, journalIntentSoon, journalOutcome, journalsRequest, type JournalTicket } from './journal.js';

addExchangeListener({
  wants: journalsRequest,
  onSend(request, sync) {
    if (sync) {
      const ticket = journalIntent(request);
      return ticket && { done: (outcome) => journalOutcome(ticket, outcome, { now: true }) };
    }
    const soon = journalIntentSoon(request);
    if (soon === undefined) return undefined;
    // Once the intent is written (always, when the pipeline reports the outcome), the outcome is
    // queued at once: a process that exits right after still writes it.
    let ticket: JournalTicket | undefined;
    let settled = false;
    const ready = soon.then((t) => {
      ticket = t;
      settled = true;
    });
    return {
      ready,
      done: (outcome) => (settled ? journalOutcome(ticket, outcome) : ready.then(() => journalOutcome(ticket, outcome))),
    };
  },
});
