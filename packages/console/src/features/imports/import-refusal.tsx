/**
 * @module Why the server refused a preview or an import: rows the catalog refuses (422, each named
 * by its field, `history[3].values.stoploss`, said as the row and the key), a conflict (409: the
 * superset check, a plan gone stale), a frozen environment (423), or any other problem.
 */
import { ErrorState } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { ApiError } from "@/lib/api";
import { GovernedRefusal } from "../governance/governed-refusal";

/** `history[3].values.risk.stoploss` → "history row 4, key risk.stoploss"; other fields as they are. */
export function rowFieldText(field: string): string | null {
  const match = /^(?:history\[(\d+)\]|(current))\.values(?:\.(.+))?$/.exec(field);
  if (!match) return null;
  const row = match[2] ? "the live row" : `history row ${Number(match[1]) + 1}`;
  return match[3] ? `${row}, key ${match[3]}` : row;
}

export function ImportRefusal({ error, environment }: { error: unknown; environment: string }) {
  const status = error instanceof ApiError ? error.status : undefined;
  return (
    <div data-testid="import-refusal" data-status={status}>
      {error instanceof ApiError && error.status === 422 && error.fieldErrors.length > 0 ? (
        <Alert tone="danger">
          <p className="font-medium">
            The server refused the rows ({error.problem.title.toLowerCase()}): nothing was written.
          </p>
          <ul className="mt-1 list-disc pl-5" aria-label="Refused fields">
            {error.fieldErrors.map((e) => (
              <li key={`${e.location}:${e.field}`} data-field={e.field}>
                <code>{e.field}</code>
                {rowFieldText(e.field) && ` (${rowFieldText(e.field)})`}: {e.message}
              </li>
            ))}
          </ul>
        </Alert>
      ) : error instanceof ApiError ? (
        <GovernedRefusal
          error={error}
          environments={[environment]}
          frozenHeadline={`${environment} is frozen: nothing can be imported there now.`}
        />
      ) : (
        <ErrorState error={error} />
      )}
    </div>
  );
}
