/**
 * @module The audit trail's filter: kept in the URL's search params (so a filtered view can be
 * shared and survives a reload), and the filter form's schema, which ends in core's own
 * `auditQuery` fields so the browser refuses exactly what the server would.
 */
import { AUDIT_ACTIONS, auditQuery } from "@tradai/core";
import { z } from "zod";

/** Entries per page. */
export const AUDIT_PAGE_SIZE = 25;

export interface AuditFilter {
  actor?: string;
  action?: string;
  target_type?: string;
  target_id?: string;
  /** ISO 8601 times, as the server takes them. */
  since?: string;
  until?: string;
}

export const AUDIT_FILTER_FIELDS = ["actor", "action", "target_type", "target_id", "since", "until"] as const;

/** The filter and the page offset the URL holds. */
export function filterFromSearch(search: URLSearchParams): { filter: AuditFilter; offset: number } {
  const filter: AuditFilter = {};
  for (const name of AUDIT_FILTER_FIELDS) {
    const value = search.get(name);
    if (value) filter[name] = value;
  }
  const offset = Number(search.get("offset") ?? 0);
  return { filter, offset: Number.isInteger(offset) && offset > 0 ? offset : 0 };
}

/** Search params for a filter and offset (empty fields and offset 0 left out). */
export function searchFromFilter(filter: AuditFilter, offset = 0): URLSearchParams {
  const search = new URLSearchParams();
  for (const name of AUDIT_FILTER_FIELDS) {
    const value = filter[name];
    if (value) search.set(name, value);
  }
  if (offset > 0) search.set("offset", String(offset));
  return search;
}

/** `2026-11-24T04:00` (a datetime-local input, read as UTC) to `2026-11-24T04:00:00Z`. */
export function utcInputToIso(value: string): string | undefined {
  const v = value.trim();
  if (!v) return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)
    ? `${v}:00Z`
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(v)
      ? `${v}Z`
      : v;
}

/** An ISO time as a datetime-local input's value, in UTC (empty when it is not a time). */
export function isoToUtcInput(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString().slice(0, 16);
}

const text = z.string().trim();

/** What the form's inputs hold: plain strings, times as datetime-local values (UTC). */
export const auditFilterForm = z
  .object({ actor: text, action: text, target_type: text, target_id: text, since: text, until: text })
  .transform(
    (v): AuditFilter => ({
      actor: v.actor || undefined,
      action: v.action || undefined,
      target_type: v.target_type || undefined,
      target_id: v.target_id || undefined,
      since: utcInputToIso(v.since),
      until: utcInputToIso(v.until),
    }),
  )
  .pipe(
    auditQuery
      .pick({ actor: true, action: true, target_type: true, target_id: true, since: true, until: true })
      .refine((f) => !f.since || !f.until || new Date(f.since) < new Date(f.until), {
        path: ["until"],
        message: "must be later than since",
      }),
  );
export type AuditFilterFormInput = z.input<typeof auditFilterForm>;

/** The form's values for a filter. */
export function formValues(filter: AuditFilter): AuditFilterFormInput {
  return {
    actor: filter.actor ?? "",
    action: filter.action ?? "",
    target_type: filter.target_type ?? "",
    target_id: filter.target_id ?? "",
    since: isoToUtcInput(filter.since),
    until: isoToUtcInput(filter.until),
  };
}

/** Actions (core's closed list) and target types the server writes, offered as suggestions. */
export const KNOWN_AUDIT_ACTIONS: readonly string[] = AUDIT_ACTIONS;

export const KNOWN_TARGET_TYPES = [
  "config_version",
  "change_request",
  "catalog_revision",
  "environment",
  "environment_base",
  "freeze_window",
  "run",
  "token",
  "user",
];
