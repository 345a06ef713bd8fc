/** @module Loading, empty and error states: one look for every page. */
import type { ReactNode } from "react";
import { ApiError } from "@/lib/api";
import { Alert } from "./ui/alert";
import { Skeleton } from "./ui/skeleton";

export function Loading({ label = "Loading" }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" className="space-y-2 py-2">
      <span className="sr-only">{label}…</span>
      <Skeleton className="h-4 w-2/3" />
      <Skeleton className="h-4 w-1/2" />
      <Skeleton className="h-4 w-3/5" />
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="py-4 text-sm text-muted-foreground">{children}</p>;
}

/** The server's problem (title, detail, field errors, request id), or a plain error's message. */
export function ErrorState({ error, className }: { error: unknown; className?: string }) {
  if (error instanceof ApiError) {
    const { problem } = error;
    return (
      <Alert tone="danger" className={className}>
        <p className="font-medium">{problem.title}</p>
        {problem.detail && problem.detail !== problem.title && <p>{problem.detail}</p>}
        {error.fieldErrors.length > 0 && (
          <ul className="mt-1 list-disc pl-5">
            {error.fieldErrors.map((e) => (
              <li key={`${e.location}:${e.field}`}>
                <code>{e.field}</code>: {e.message}
              </li>
            ))}
          </ul>
        )}
        {problem.request_id && <p className="mt-1 text-xs">request id {problem.request_id}</p>}
      </Alert>
    );
  }
  return (
    <Alert tone="danger" className={className}>
      {error instanceof Error ? error.message : String(error)}
    </Alert>
  );
}

/** What a query shows while loading or failed; renders children with the data otherwise. */
export function QueryState<T>({
  query,
  children,
  loadingLabel,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined };
  children: (data: T) => ReactNode;
  loadingLabel?: string;
}) {
  if (query.isPending) return <Loading label={loadingLabel} />;
  if (query.error) return <ErrorState error={query.error} />;
  return <>{children(query.data as T)}</>;
}
