/**
 * @module A worker (/workers/:workerId): its sessions (one per process and strategy), the
 * timeline of what the chosen one applied (?session=, default the newest), and "what did it run
 * at" a UTC time (?at=): version, hash and parameter set of each strategy then.
 */
import type { SessionView } from "@tradai/core";
import { type FormEvent, useState } from "react";
import { useParams, useSearchParams } from "react-router";
import { Field } from "@/components/field";
import { PageHeader } from "@/components/page";
import { Empty, QueryState } from "@/components/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Table, TBody, Td, THead, Th, Tr } from "@/components/ui/table";
import { ConfirmDialog } from "@/features/admin/confirm-dialog";
import { useCan } from "@/features/session/can";
import { formatTime } from "@/lib/format";
import { useRetireWorker } from "./retire-mutation";
import { SessionTimeline } from "./session-timeline";
import { useSession, useWorkerSessions } from "./sessions-query";
import { utcInstant } from "./utc-instant";

function SessionsTable({
  sessions,
  chosen,
  choose,
}: {
  sessions: SessionView[];
  chosen?: string;
  choose(id: string): void;
}) {
  return (
    <Table aria-label="Sessions" data-testid="sessions-table">
      <THead>
        <tr>
          <Th>Strategy</Th>
          <Th>Mode</Th>
          <Th>Status</Th>
          <Th>Opened</Th>
          <Th>Ended</Th>
          <Th>Applies</Th>
          <Th>Last version</Th>
          <Th>Code</Th>
        </tr>
      </THead>
      <TBody>
        {sessions.map((s) => (
          <Tr key={s.session_id} data-session={s.session_id} aria-selected={s.session_id === chosen}>
            <Td>
              <Button variant="link" className="h-auto p-0" onClick={() => choose(s.session_id)}>
                {s.strategy}
              </Button>
              <span className="block text-xs text-muted-foreground">{s.environment}</span>
            </Td>
            <Td>
              <Badge tone={s.mode === "live" ? "warning" : "neutral"}>{s.mode}</Badge>
            </Td>
            <Td>{s.status}</Td>
            <Td className="whitespace-nowrap">{formatTime(s.opened_at)}</Td>
            <Td className="whitespace-nowrap">{formatTime(s.ended_at)}</Td>
            <Td>{s.applies}</Td>
            <Td className="font-mono text-xs">{s.last_applied?.config_version_id ?? "—"}</Td>
            <Td className="font-mono text-xs">{s.code_version ?? "—"}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

function RanAt({ worker, at }: { worker: string; at: string }) {
  const sessions = useWorkerSessions(worker, at);
  return (
    <QueryState query={sessions} loadingLabel="Looking up what ran then">
      {(data) =>
        data.items.length === 0 ? (
          <Empty>
            {worker} ran no session at {formatTime(at)}.
          </Empty>
        ) : (
          <Table aria-label={`What ${worker} ran at ${at}`} data-testid="ran-at">
            <THead>
              <tr>
                <Th>Strategy</Th>
                <Th>Config version</Th>
                <Th>Resolved hash</Th>
                <Th>Parameter set</Th>
                <Th>Applied</Th>
              </tr>
            </THead>
            <TBody>
              {data.items.map((s) => (
                <Tr key={s.session_id} data-strategy={s.strategy}>
                  <Td>{s.strategy}</Td>
                  <Td className="font-mono text-xs" data-cell="version">
                    {s.in_effect ? (s.in_effect.config_version_id ?? "none") : "nothing applied yet"}
                  </Td>
                  <Td className="break-all font-mono text-xs">{s.in_effect?.resolved_hash ?? "—"}</Td>
                  <Td className="break-all font-mono text-xs" data-cell="parameter-set">
                    {s.in_effect?.parameter_set_hash ?? "—"}
                  </Td>
                  <Td className="whitespace-nowrap">
                    {formatTime(s.in_effect?.applied_at)} {s.in_effect && `(${s.in_effect.boundary})`}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )
      }
    </QueryState>
  );
}

export function WorkerPage() {
  const { workerId = "" } = useParams();
  const [search, setSearch] = useSearchParams();
  const at = search.get("at") || undefined;
  const [atInput, setAtInput] = useState(at ? at.slice(0, 16) : "");
  const sessions = useWorkerSessions(workerId);
  const mayRetire = useCan("workers.retire");
  const retire = useRetireWorker();
  const chosen = search.get("session") || sessions.data?.items[0]?.session_id;
  const session = useSession(chosen);
  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearch(next);
  };
  const lookUp = (e: FormEvent) => {
    e.preventDefault();
    set("at", atInput ? utcInstant(atInput) : undefined);
  };

  return (
    <>
      <PageHeader
        title={`Worker ${workerId}`}
        description="Its sessions, what each applied and when. Times in UTC."
        actions={
          mayRetire && (
            <ConfirmDialog
              trigger={<Button variant="outline">Retire worker</Button>}
              title={`Retire worker ${workerId}?`}
              description="It leaves the workers view and its gauges, and its id is free for another credential. Its sessions and their history stay. A worker that reports again comes back."
              confirmLabel="Retire"
              onConfirm={() => retire.mutateAsync(workerId)}
            />
          )
        }
      />
      <Card aria-labelledby="ran-at-title" className="mb-4">
        <CardHeader>
          <CardTitle id="ran-at-title">What did it run at…</CardTitle>
        </CardHeader>
        <CardContent>
          <form className="mb-3 flex flex-wrap items-end gap-2" onSubmit={lookUp}>
            <Field label="Time (UTC)" className="w-60">
              {(control) => (
                <Input
                  {...control}
                  type="datetime-local"
                  step={1}
                  value={atInput}
                  onChange={(e) => setAtInput(e.target.value)}
                />
              )}
            </Field>
            <Button type="submit">Look up</Button>
          </form>
          {at && <RanAt worker={workerId} at={at} />}
        </CardContent>
      </Card>
      <Card aria-labelledby="sessions-title" className="mb-4">
        <CardHeader>
          <CardTitle id="sessions-title">Sessions</CardTitle>
        </CardHeader>
        <CardContent>
          <QueryState query={sessions} loadingLabel="Loading sessions">
            {(data) =>
              data.items.length === 0 ? (
                <Empty>{workerId} has opened no session yet.</Empty>
              ) : (
                <SessionsTable sessions={data.items} chosen={chosen} choose={(id) => set("session", id)} />
              )
            }
          </QueryState>
        </CardContent>
      </Card>
      {chosen && (
        <Card aria-labelledby="timeline-title">
          <CardHeader>
            <CardTitle id="timeline-title">
              Applied history
              {session.data && ` of ${session.data.strategy} (${session.data.mode}, ${session.data.status})`}
            </CardTitle>
          </CardHeader>
          <CardContent>
            <QueryState query={session} loadingLabel="Loading the history">
              {(data) => <SessionTimeline session={data} />}
            </QueryState>
          </CardContent>
        </Card>
      )}
    </>
  );
}
