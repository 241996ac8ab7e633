import { ValidationError } from '../shared/domain-errors';
import type { ClockCalculator } from '../sla/sla-clock';
import { Contact } from './case.types';

/**
 * A policy that closes on public holidays needs to know whose: a case without the contact's
 * country would silently get none, and its business clocks would run through Christmas. Checked
 * at submission only, so cases recorded before this rule keep working as they were.
 */
export function requireHolidayCountry(contact: Contact, clocks: ClockCalculator): void {
  if (!clocks.publicHolidays || contact.country) return;
  throw new ValidationError(
    `contact.country is required: the SLA policy ${clocks.policyVersion} closes business clocks on the contact's public holidays`,
    'contact.country',
  );
}
