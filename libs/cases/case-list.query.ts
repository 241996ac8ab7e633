import { Inject, Injectable } from '@nestjs/common';
import { SqlClient } from '../event-store/sql/sql-client';
import { READ_MODEL_SQL } from '../platform/tokens';
import { ProblemError } from '../platform/http/problem';
import { CaseListQuery } from './dto/case-list.query';

interface CaseRow extends Record<string, unknown> {
  case_id: string;
  reference: string;
  status: string;
  severity: string | null;
  partner_id: string;
  customer_id: string | null;
  product: string;
  engineer_id: string | null;
  manager_id: string | null;
  sla: string;
  triaged: boolean;
  proposed_severity: string | null;
  triaged_at: string | null;
  triaged_by: string | null;
  next_due_at: Date | string | null;
  submitted_at: Date | string;
  updated_at: Date | string;
  revision: string;
  summary: string;
}

/** The case list from the `rm_cases` read model, newest first, keyset-paginated. */
@Injectable()
export class CaseListService {
  constructor(@Inject(READ_MODEL_SQL) private readonly sql: SqlClient) {}

  async list(filters: CaseListQuery): Promise<{ items: ReturnType<typeof summary>[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filters.status) add('status = ?', filters.status);
    if (filters.severity) add('severity = ?', filters.severity);
    if (filters.engineerId) add('engineer_id = ?', filters.engineerId);
    if (filters.partnerId) add('partner_id = ?', filters.partnerId);
    if (filters.customerId) add('customer_id = ?', filters.customerId);
    if (filters.product) add('product = ?', filters.product);
    if (filters.sla) add('sla = ?', filters.sla);
    if (filters.triaged) add('triaged = ?', filters.triaged === 'true');
    // The triage queue: routed and rejected cases never get a severity to triage, so they are not in it.
    if (filters.triaged === 'false') where.push(`status not in ('routed', 'rejected')`);
    if (filters.cursor) {
      const [submittedAt, caseId] = decodeCursor(filters.cursor);
      params.push(submittedAt, caseId);
      where.push(`(submitted_at, case_id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    const limit = filters.limit ?? 50;
    const rows = await this.sql.query<CaseRow>(
      `select case_id, reference, status, severity, partner_id, customer_id, product, engineer_id, manager_id, sla, triaged,
              state->>'proposedSeverity' as proposed_severity, state->>'triagedAt' as triaged_at, state->>'triagedBy' as triaged_by,
              next_due_at, submitted_at, updated_at, revision::text as revision, state->>'summary' as summary
         from rm_cases ${where.length ? `where ${where.join(' and ')}` : ''}
        order by submitted_at desc, case_id desc
        limit ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit).map(summary);
    const last = page[page.length - 1];
    return {
      items: page,
      nextCursor: rows.length > limit && last ? encodeCursor(last.submittedAt, last.caseId) : null,
    };
  }
}

function summary(row: CaseRow) {
  return {
    caseId: row.case_id,
    reference: row.reference,
    status: row.status,
    severity: row.severity,
    proposedSeverity: row.proposed_severity,
    triaged: row.triaged,
    triagedAt: row.triaged_at,
    triagedBy: row.triaged_by,
    partnerId: row.partner_id,
    customerId: row.customer_id,
    product: row.product,
    engineerId: row.engineer_id,
    managerId: row.manager_id,
    summary: row.summary,
    sla: row.sla,
    nextDueAt: row.next_due_at === null ? null : new Date(row.next_due_at).toISOString(),
    submittedAt: new Date(row.submitted_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    revision: Number(row.revision),
  };
}

function encodeCursor(submittedAt: string, caseId: string): string {
  return Buffer.from(JSON.stringify([submittedAt, caseId])).toString('base64url');
}

/** What encodeCursor() makes: an instant as toISOString() writes it, and a case id. */
const CURSOR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CURSOR_CASE_ID = /^[A-Za-z0-9-]{1,100}$/;

/**
 * A cursor is only what encodeCursor() made: checked in full here, since a hand-made one that
 * merely looks right (`Date.parse` reads "1" as 2001) would reach PostgreSQL and fail there.
 */
function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2) {
      const [submittedAt, caseId] = value as unknown[];
      if (
        typeof submittedAt === 'string' &&
        CURSOR_INSTANT.test(submittedAt) &&
        !Number.isNaN(Date.parse(submittedAt)) &&
        new Date(submittedAt).toISOString() === submittedAt &&
        typeof caseId === 'string' &&
        CURSOR_CASE_ID.test(caseId)
      ) {
        return [submittedAt, caseId];
      }
    }
  } catch {
    /* fall through */
  }
  throw ProblemError.of(400, 'cursor is not one this service returned', {
    errors: [{ field: 'cursor', message: 'invalid cursor' }],
  });
}
