// The form of a recorded event (a status move of a site or a road): the date (not before the last
// event, not after today), a note and optional photos, plus whatever the event needs besides
// (`children`, e.g. the 两断三清 checklist). The photos are uploaded when the form is sent.
import { campaignDay } from '../../domain/days.ts';
import { useState, type ReactNode } from 'react';
import { uploadPhoto } from '../api/photos.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { describeError } from '../i18n/error-text.ts';
import { FormActions } from './FormActions.tsx';

export interface EventValues {
  date: string;
  note: string;
  /** References of the uploaded photos. */
  photos: string[];
}

/** Today as the server counts it (UTC), the latest date an event may carry. */

export const PHOTO_TYPES = 'image/jpeg,image/png,image/webp';

export function EventForm({
  title,
  lastDate,
  noteRequired = false,
  ready = true,
  submitLabel,
  children,
  onSubmit,
  onCancel,
}: {
  title: string;
  /** The date of the last event: the earliest this one may carry. */
  lastDate: string | null;
  noteRequired?: boolean;
  /** False while something the event needs is missing (the submit button stays disabled). */
  ready?: boolean;
  submitLabel: string;
  children?: ReactNode;
  onSubmit: (values: EventValues) => Promise<void>;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const today = campaignDay();
  const [date, setDate] = useState(lastDate && lastDate > today ? lastDate : today);
  const [note, setNote] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  // The server's refusals for these dates, said before sending (the same sentences from the error catalogue).
  const dateProblem =
    date > today
      ? describeError({ code: 'event_date_in_future', details: { date, today } }, lang)
      : lastDate && date < lastDate
        ? describeError({ code: 'event_date_before_last', details: { date, lastEvent: lastDate } }, lang)
        : null;
  const noteMissing = noteRequired && note.trim() === '';
  return (
    <form
      className="event-form"
      aria-label={title}
      onSubmit={(event) => {
        event.preventDefault();
        if (dateProblem || noteMissing || !ready || busy) return;
        setBusy(true);
        void (async () => {
          try {
            const photos: string[] = [];
            for (const file of files) photos.push(await uploadPhoto(file));
            await onSubmit({ date, note: note.trim(), photos });
          } finally {
            setBusy(false);
          }
        })();
      }}
    >
      <h4>{title}</h4>
      <label>
        {t('eventDate')}
        <input
          type="date"
          required
          value={date}
          min={lastDate ?? undefined}
          max={today}
          onChange={(e) => setDate(e.target.value)}
          aria-invalid={dateProblem !== null}
        />
      </label>
      {dateProblem && <p className="field-error">{dateProblem}</p>}
      <label>
        {noteRequired ? t('eventReason') : t('note')}
        <textarea value={note} required={noteRequired} rows={2} onChange={(e) => setNote(e.target.value)} />
      </label>
      {children}
      {/* The browser's own file button speaks the browser's language; this one speaks the page's. */}
      <label className="file-pick">
        {t('eventPhotos')}
        <span className="file-button">{files.length ? t('photosChosen', { n: files.length }) : t('photosChoose')}</span>
        <input type="file" multiple accept={PHOTO_TYPES} onChange={(e) => setFiles(Array.from(e.target.files ?? []))} />
      </label>
      <FormActions label={submitLabel} ready={dateProblem === null && !noteMissing && ready} busy={busy} onCancel={onCancel} />
    </form>
  );
}
