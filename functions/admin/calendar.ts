import * as z from 'zod/mini';
import { statutoryDraftOf } from '../../shared/calendar/draft';
import {
  AffectedWindowSchema,
  ArrangementSchema,
  CalendarProposalInputSchema,
  CalendarVersionSchema,
  CalendarYearSchema,
  RejectBodySchema,
  VersionBodySchema,
} from '../../shared/calendar/model';
import { CalendarService } from '../../shared/calendar/service';
import { NotFoundError } from '../../shared/errors';
import { type Api, principalOf } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import { route } from '../../shared/http/route';
import { ListQuery, pageOf } from '../../shared/http/schemas';
import { described, named } from '../../shared/schema';

const YearParams = z.strictObject({
  year: described(z.coerce.number().check(z.int(), z.minimum(2000), z.maximum(2100)), 'Calendar year', 2027),
});

const CalendarDetailSchema = named(
  z.object({
    record: CalendarYearSchema,
    versions: z.array(CalendarVersionSchema),
    /** Open windows the pending proposal would move (a correction of a confirmed year). */
    affected: z.array(AffectedWindowSchema),
  }),
  'CalendarDetail',
);

const PublicCalendarSchema = named(
  z.object({
    year: z.int(),
    calendarVersion: z.int(),
    demo: z.boolean(),
    arrangement: ArrangementSchema,
    confirmedAt: z.optional(z.string()),
  }),
  'PublicCalendar',
);

const ProposalResultSchema = named(
  z.object({ record: CalendarYearSchema, affected: z.array(AffectedWindowSchema) }),
  'CalendarProposalResult',
);
const ConfirmResultSchema = named(
  z.object({ record: CalendarYearSchema, reviews: z.int() }),
  'CalendarConfirmResult',
);

/** The working-day calendar: public reading of confirmed years; administrators publish (four-eyes). */
export function calendarRoutes(app: Api, deps: Deps): void {
  const calendars = new CalendarService(deps);
  const tags = ['Calendar'];

  route(
    app,
    {
      method: 'get',
      path: '/calendar/:year',
      tags,
      summary: "A year's confirmed official holiday arrangement (the one working days are counted with)",
      params: YearParams,
      ok: { status: 200, schema: PublicCalendarSchema },
      problems: [400, 404],
    },
    async (c, { params }) => {
      const read = await calendars.repo.getAsRead(params.year);
      const r = read?.record;
      if (!r?.arrangement) throw new NotFoundError('calendar year');
      c.header('Cache-Control', 'public, max-age=300');
      return c.json(
        {
          year: r.year,
          calendarVersion: r.calendarVersion,
          demo: r.demo,
          arrangement: r.arrangement,
          ...(r.confirmedAt ? { confirmedAt: r.confirmedAt } : {}),
        },
        200,
      );
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/admin/calendar',
      tags,
      summary: 'Every stored year: confirmed version, pending proposal',
      query: ListQuery,
      ok: { status: 200, schema: pageOf(CalendarYearSchema, 'CalendarYearPage') },
      problems: [400, 401, 403],
    },
    async (c, { query }) => c.json(await calendars.repo.list(query.limit, query.cursor), 200),
  );

  route(
    app,
    {
      method: 'get',
      path: '/admin/calendar/:year',
      tags,
      summary:
        'One year: its state, every confirmed version, and the open windows a pending correction would move',
      params: YearParams,
      ok: { status: 200, schema: CalendarDetailSchema },
      problems: [400, 401, 403, 404],
    },
    async (c, { params }) => {
      const { record, versions } = await calendars.get(params.year);
      const affected =
        record.proposal && record.arrangement ? await calendars.affectedWindows(params.year, record) : [];
      return c.json({ record, versions, affected }, 200);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/admin/calendar/:year/draft',
      tags,
      summary:
        "A draft from the statutory rules (the festivals' days only, no swapped working days): correct it to the notice, then submit",
      params: YearParams,
      ok: { status: 200, schema: ArrangementSchema },
      problems: [400, 401, 403],
    },
    async (c, { params }) => c.json(await statutoryDraftOf(params.year), 200),
  );

  route(
    app,
    {
      method: 'post',
      path: '/admin/calendar/:year/proposal',
      tags,
      summary:
        "Submit a year's arrangement as the State Council notice sets it; a second administrator confirms it",
      params: YearParams,
      body: CalendarProposalInputSchema,
      ok: { status: 200, schema: ProposalResultSchema },
      problems: [400, 401, 403, 404, 409, 415, 422, 503],
    },
    async (c, { params, body }) => c.json(await calendars.propose(principalOf(c), params.year, body), 200),
  );

  route(
    app,
    {
      method: 'post',
      path: '/admin/calendar/:year/confirm',
      tags,
      summary:
        'Confirm the submitted arrangement (not by the administrator who submitted it): it takes effect',
      params: YearParams,
      body: VersionBodySchema,
      ok: { status: 200, schema: ConfirmResultSchema },
      problems: [400, 401, 403, 404, 409, 415, 422, 503],
    },
    async (c, { params, body }) =>
      c.json(await calendars.confirm(principalOf(c), params.year, body.version), 200),
  );

  route(
    app,
    {
      method: 'post',
      path: '/admin/calendar/:year/reject',
      tags,
      summary: 'Send a submitted arrangement back, with a reason; the confirmed version stays in force',
      params: YearParams,
      body: RejectBodySchema,
      ok: { status: 200, schema: CalendarYearSchema },
      problems: [400, 401, 403, 404, 409, 415, 422, 503],
    },
    async (c, { params, body }) =>
      c.json(await calendars.reject(principalOf(c), params.year, body.version, body.reason), 200),
  );
}
