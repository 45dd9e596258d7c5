/**
 * The journal as a listener of the request pipeline: imported for its effect by the modules that
 * send on a program's behalf (lib/api.ts, lib/orm/resource.ts, lib/journal/index.ts), it subscribes
 * the journal once to every request. Each request the journal wants (writes; reads when
 * configured) gets its intent line appended before it is handed to the transport, and its outcome
 * line when the answer or the failure is known.
 */
import { addExchangeListener } from '../http/listeners.js';
import { journalIntent, journalOutcome, journalsRequest } from './journal.js';

addExchangeListener({
  wants: journalsRequest,
  onSend(request) {
    const ticket = journalIntent(request);
    return ticket && ((outcome) => journalOutcome(ticket, outcome));
  },
});
