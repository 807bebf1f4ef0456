import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { UserPrincipal } from '../../../shared/accounts.js';
import { BookedHearingSchema, ResourceBookingSchema } from '../../../shared/api.js';
import { BookedRoleSchema, CaseTypeSchema } from '../../../shared/scheduling.js';
import { failureSentence } from '../components/ErrorNotice.js';
import { Field } from '../components/Field.js';
import { type ApiFailure, apiRequest, toFailure } from '../services/api.js';
import { overlaps, timeRange } from '../services/shanghaiTime.js';
import { useApiQuery } from '../services/useApiQuery.js';
import {
  availabilityWindow,
  type BookingForm,
  bookingInput,
  bookingProblems,
  clashesWith,
  emptyParticipant,
  formRange,
  formSiteIds,
  type ParticipantRow,
  type ResourceBooking,
} from './bookingForm.js';
import type { Site, User } from './ClerkPage.js';

const AvailabilitySchema = z.object({ bookings: z.array(ResourceBookingSchema) });
type BookedHearing = z.infer<typeof BookedHearingSchema>;

type Submit = { state: 'idle' } | { state: 'sending' } | { state: 'failed'; failure: ApiFailure };

interface BookingPanelProps {
  principal: UserPrincipal;
  form: BookingForm;
  onChange: (form: BookingForm) => void;
  /** The court's accounts (judges to choose from, names to show). */
  users: User[];
  sites: Site[];
  onBooked: (hearing: BookedHearing) => void;
}

/**
 * Booking a hearing: the form, and beside it what the judge, the clerk and the chosen sites already
 * have that day, with overlaps marked before the clerk sends. The server has the last word: a clash
 * found there (a booking made meanwhile, the gap kept between hearings) comes back as CONFLICT.
 */
export function BookingPanel({ principal, form, onChange, users, sites, onBooked }: BookingPanelProps) {
  const { t } = useTranslation();
  const [submit, setSubmit] = useState<Submit>({ state: 'idle' });
  const [showProblems, setShowProblems] = useState(false);

  const judges = users.filter((u) => u.role === 'judge' && u.disabledMs === null);
  const problems = bookingProblems(form, principal.courtId, principal.userId);
  const problemText = (field: string): string | null => {
    if (!showProblems) return null;
    const problem = problems.find((p) => p.field === field);
    return problem ? t(`booking.problem.${problem.reason}`) : null;
  };

  // The live view of existing bookings, for the whole day of the chosen date.
  const day = availabilityWindow(form);
  const siteIds = formSiteIds(form);
  const params = new URLSearchParams({ clerkId: principal.userId });
  if (form.judgeId) params.set('judgeId', form.judgeId);
  if (siteIds.length > 0) params.set('siteIds', siteIds.join(','));
  if (day) {
    params.set('from', String(day.from));
    params.set('to', String(day.to));
  }
  const availabilityPath = day ? `/api/availability?${params}` : null;
  const [availability, reloadAvailability] = useApiQuery(availabilityPath, () =>
    availabilityPath === null
      ? Promise.resolve({ bookings: [] })
      : apiRequest(AvailabilitySchema, 'GET', availabilityPath),
  );
  const bookings = availability.status === 'ready' ? availability.data.bookings : [];
  const clashes = clashesWith(form, bookings);

  const set = (patch: Partial<BookingForm>) => onChange({ ...form, ...patch });
  const setParticipant = (index: number, patch: Partial<ParticipantRow>) =>
    set({ participants: form.participants.map((p, i) => (i === index ? { ...p, ...patch } : p)) });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (problems.length > 0) {
      setShowProblems(true);
      return;
    }
    setSubmit({ state: 'sending' });
    try {
      const hearing = await apiRequest(
        BookedHearingSchema,
        'POST',
        '/api/hearings',
        bookingInput(form, principal.courtId, principal.userId),
      );
      setSubmit({ state: 'idle' });
      setShowProblems(false);
      onBooked(hearing);
    } catch (error) {
      const failure = toFailure(error);
      setSubmit({ state: 'failed', failure });
      if (failure.code === 'CONFLICT') reloadAvailability();
    }
  };

  const sitesByCounty = [...new Set(sites.map((s) => s.county))]
    .sort((a, b) => a.localeCompare(b, 'zh-CN'))
    .map((county) => ({ county, sites: sites.filter((s) => s.county === county) }));

  return (
    <form className="booking" onSubmit={(e) => void onSubmit(e)} noValidate>
      <div className="booking-form">
        <section className="panel">
          <h3 className="panel-heading">{t('booking.caseSection')}</h3>
          <Field id="clerk-book-case-number" label={t('booking.caseNumber')} problem={problemText('caseNumber')}>
            <input
              id="clerk-book-case-number"
              data-testid="clerk-book-case-number"
              placeholder={t('booking.caseNumberExample')}
              value={form.caseNumber}
              onChange={(e) => set({ caseNumber: e.target.value })}
            />
          </Field>
          <Field id="clerk-book-title" label={t('booking.title')} problem={problemText('title')}>
            <input
              id="clerk-book-title"
              data-testid="clerk-book-title"
              placeholder={t('booking.titleExample')}
              maxLength={200}
              value={form.title}
              onChange={(e) => set({ title: e.target.value })}
            />
          </Field>
          <Field id="clerk-book-type" label={t('booking.caseType')} problem={null}>
            <select
              id="clerk-book-type"
              data-testid="clerk-book-type"
              value={form.caseType}
              onChange={(e) => {
                const parsed = CaseTypeSchema.safeParse(e.target.value);
                if (parsed.success) set({ caseType: parsed.data });
              }}
            >
              {CaseTypeSchema.options.map((type) => (
                <option key={type} value={type}>
                  {t(`caseType.${type}`)}
                </option>
              ))}
            </select>
          </Field>
        </section>

        <section className="panel">
          <h3 className="panel-heading">{t('booking.timeSection')}</h3>
          <Field id="clerk-book-judge" label={t('booking.judge')} problem={problemText('judge')}>
            <select
              id="clerk-book-judge"
              data-testid="clerk-book-judge"
              value={form.judgeId}
              onChange={(e) => set({ judgeId: e.target.value })}
            >
              <option value="">{t('booking.chooseJudge')}</option>
              {judges.map((judge) => (
                <option key={judge.id} value={judge.id}>
                  {judge.displayName}
                </option>
              ))}
            </select>
          </Field>
          <div className="field-row">
            <Field id="clerk-book-date" label={t('booking.date')} problem={null}>
              <input
                type="date"
                id="clerk-book-date"
                data-testid="clerk-book-date"
                value={form.date}
                onChange={(e) => set({ date: e.target.value })}
              />
            </Field>
            <Field id="clerk-book-start" label={t('booking.start')} problem={null}>
              <input
                type="time"
                id="clerk-book-start"
                data-testid="clerk-book-start"
                value={form.start}
                onChange={(e) => set({ start: e.target.value })}
              />
            </Field>
            <Field id="clerk-book-end" label={t('booking.end')} problem={null}>
              <input
                type="time"
                id="clerk-book-end"
                data-testid="clerk-book-end"
                value={form.end}
                onChange={(e) => set({ end: e.target.value })}
              />
            </Field>
          </div>
          {problemText('time') && <p className="field-problem">{problemText('time')}</p>}
          <p className="muted">{t('booking.timeZoneNote')}</p>
          <label className="checkbox">
            <input
              type="checkbox"
              data-testid="clerk-book-public"
              checked={form.isPublic}
              onChange={(e) => set({ isPublic: e.target.checked })}
            />
            {t('booking.isPublic')}
          </label>
        </section>

        <section className="panel">
          <h3 className="panel-heading">{t('booking.participantsSection')}</h3>
          {problemText('participants') && <p className="field-problem">{problemText('participants')}</p>}
          <ol className="participant-rows">
            {form.participants.map((p, index) => (
              // Rows have no identity but their position; the form is plain data.
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and removed by index
              <li key={index} className="participant-row">
                <Field id={`clerk-participant-${index}-role`} label={t('booking.role')} problem={null}>
                  <select
                    id={`clerk-participant-${index}-role`}
                    data-testid={`clerk-participant-${index}-role`}
                    value={p.role}
                    onChange={(e) => {
                      const parsed = BookedRoleSchema.safeParse(e.target.value);
                      if (parsed.success) setParticipant(index, { role: parsed.data });
                    }}
                  >
                    {BookedRoleSchema.options.map((role) => (
                      <option key={role} value={role}>
                        {t(`role.${role}`)}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field
                  id={`clerk-participant-${index}-name`}
                  label={t('booking.name')}
                  problem={problemText(`participant.${index}.name`)}
                >
                  <input
                    id={`clerk-participant-${index}-name`}
                    data-testid={`clerk-participant-${index}-name`}
                    maxLength={100}
                    value={p.name}
                    onChange={(e) => setParticipant(index, { name: e.target.value })}
                  />
                </Field>
                <Field
                  id={`clerk-participant-${index}-id-tail`}
                  label={t('booking.idTail')}
                  problem={problemText(`participant.${index}.idTail`)}
                >
                  <input
                    id={`clerk-participant-${index}-id-tail`}
                    data-testid={`clerk-participant-${index}-id-tail`}
                    className="id-tail-input"
                    maxLength={6}
                    autoComplete="off"
                    placeholder={t('booking.idTailExample')}
                    value={p.idTail}
                    onChange={(e) => setParticipant(index, { idTail: e.target.value.toUpperCase() })}
                  />
                </Field>
                <Field
                  id={`clerk-participant-${index}-site`}
                  label={t('booking.site')}
                  problem={problemText(`participant.${index}.site`)}
                >
                  <select
                    id={`clerk-participant-${index}-site`}
                    data-testid={`clerk-participant-${index}-site`}
                    value={p.site}
                    onChange={(e) => setParticipant(index, { site: e.target.value })}
                  >
                    <option value="">{t('hearing.atCourt')}</option>
                    {sitesByCounty.map((group) => (
                      <optgroup key={group.county} label={group.county}>
                        {group.sites.map((site) => (
                          <option key={site.id} value={site.id}>
                            {site.name}
                          </option>
                        ))}
                      </optgroup>
                    ))}
                  </select>
                </Field>
                <button
                  type="button"
                  className="small-button remove"
                  data-testid={`clerk-participant-${index}-remove`}
                  aria-label={t('booking.removeParticipant')}
                  onClick={() => set({ participants: form.participants.filter((_, i) => i !== index) })}
                >
                  {t('booking.remove')}
                </button>
              </li>
            ))}
          </ol>
          <button
            type="button"
            className="small-button"
            data-testid="clerk-add-participant"
            disabled={form.participants.length >= 50}
            onClick={() => set({ participants: [...form.participants, emptyParticipant('witness')] })}
          >
            {t('booking.addParticipant')}
          </button>
        </section>

        {clashes.length > 0 && (
          <p className="warning" data-testid="clerk-book-clash-warning">
            {t('booking.clashWarning', { count: clashes.length })}
          </p>
        )}
        {showProblems && problems.length > 0 && (
          <p className="form-error" role="alert" data-testid="clerk-book-problems">
            {t('booking.fixProblems', { count: problems.length })}
          </p>
        )}
        {submit.state === 'failed' && (
          <p className="form-error" role="alert" data-testid="clerk-book-error" data-code={submit.failure.code}>
            {submit.failure.code === 'CONFLICT'
              ? t('booking.conflict', { details: submit.failure.message })
              : failureSentence(t, submit.failure)}
          </p>
        )}
        <div className="actions">
          <button
            type="submit"
            className="big-button"
            data-testid="clerk-book-submit"
            disabled={submit.state === 'sending'}
          >
            {submit.state === 'sending' ? t('booking.sending') : t('booking.submit')}
          </button>
        </div>
      </div>

      <AvailabilityPanel
        form={form}
        principal={principal}
        users={users}
        sites={sites}
        siteIds={siteIds}
        bookings={bookings}
        status={availability.status}
        failure={
          availability.status === 'ready'
            ? availability.failure
            : availability.status === 'failed'
              ? availability.failure
              : null
        }
        onRetry={reloadAvailability}
      />
    </form>
  );
}

interface AvailabilityProps {
  form: BookingForm;
  principal: UserPrincipal;
  users: User[];
  sites: Site[];
  siteIds: string[];
  bookings: ResourceBooking[];
  status: 'loading' | 'failed' | 'ready';
  failure: ApiFailure | null;
  onRetry: () => void;
}

/** The day's existing bookings of each resource the form would take, overlaps marked. */
function AvailabilityPanel({
  form,
  principal,
  users,
  sites,
  siteIds,
  bookings,
  status,
  failure,
  onRetry,
}: AvailabilityProps) {
  const { t } = useTranslation();
  const range = formRange(form);
  const valid = range !== null && range.endMs > range.startMs ? range : null;
  const userName = (id: string) => users.find((u) => u.id === id)?.displayName ?? t('clerk.unknownUser');
  const resources = [
    ...(form.judgeId ? [{ resource: 'judge' as const, id: form.judgeId, name: userName(form.judgeId) }] : []),
    { resource: 'clerk' as const, id: principal.userId, name: userName(principal.userId) },
    ...siteIds.map((id) => ({
      resource: 'site' as const,
      id,
      name: sites.find((s) => s.id === id)?.name ?? t('hearing.atSite'),
    })),
  ];
  return (
    <aside className="panel availability" data-testid="clerk-availability" aria-live="polite">
      <h3>{t('booking.availability', { date: form.date })}</h3>
      {valid && <p className="proposed">{t('booking.proposed', { time: timeRange(valid.startMs, valid.endMs) })}</p>}
      {status === 'loading' && <p className="muted">{t('booking.availabilityLoading')}</p>}
      {failure && (
        <div className="form-error">
          <p>{t('booking.availabilityFailed')}</p>
          <button type="button" className="small-button" onClick={onRetry}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {resources.map((r) => {
        const own = bookings
          .filter((b) => b.resource === r.resource && b.resourceId === r.id)
          .sort((a, b) => a.startMs - b.startMs);
        return (
          <section
            key={`${r.resource}:${r.id}`}
            className="resource"
            data-testid={`availability-${r.resource}-${r.id}`}
          >
            <h4>
              {t(`booking.resource.${r.resource}`)} · {r.name}
            </h4>
            {own.length === 0 ? (
              <p className="muted">{t('booking.free')}</p>
            ) : (
              <ul>
                {own.map((b) => {
                  const clash = valid !== null && overlaps(b, valid);
                  return (
                    <li
                      key={`${b.hearingId}:${b.kioskId ?? ''}`}
                      className={clash ? 'booking-slot clash' : 'booking-slot'}
                      data-clash={clash}
                    >
                      <span className="slot-time">{timeRange(b.startMs, b.endMs)}</span> {b.caseNumber}
                      {clash && <strong className="clash-label">{t('booking.overlaps')}</strong>}
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        );
      })}
      <p className="muted">{t('booking.bufferNote')}</p>
    </aside>
  );
}
