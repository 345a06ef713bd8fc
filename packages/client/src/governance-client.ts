/**
 * @module The governance part of the API client: activation and promotion (which may answer with
 * a change request), change requests, environments and freeze windows, the audit trail, one's own
 * session, users and service tokens.
 * @example
 * const api = createApiClient({ baseUrl, credentials: { token: process.env.TRADAI_TOKEN! } });
 * const outcome = await api.activate("StochRsiStrategy", "v3-1a2b3c4d", { environment: "prod", expectedActive: "v2-99aa00bb" });
 * if ("change_request" in outcome) console.log(`needs approval: #${outcome.change_request.id}`);
 */
import type {
  ActivateConfigResponse,
  AnchorsCheck,
  AuditChainStatus,
  AuditEntry,
  AuditList,
  AuditVerification,
  ChangeRequest,
  ChangeRequestStatus,
  CreateFreezeInput,
  EnvironmentPolicy,
  EnvironmentView,
  FreezeWindow,
  LegacyMirrorView,
  ListSessionsQuery,
  Principal,
  Role,
  RolloutGuard,
  RolloutStatus,
  RolloutStep,
  RolloutView,
  ScheduledChangeView,
  ServiceToken,
  SessionDetail,
  SessionList,
  User,
  WorkerView,
} from "@tradai/core";
import type { ApiCall } from "./api-client.js";

export interface ChangeRequestAccepted {
  change_request: ChangeRequest;
  /** false when an identical pending request already existed */
  created: boolean;
}

/** What a governed change answers: applied (`T`), or 202, a change request waiting for approval. */
export type Governed<T> = T | ChangeRequestAccepted;

/** Whether the change became a change request (and was not applied). */
export const isProposed = <T extends object>(outcome: Governed<T>): outcome is ChangeRequestAccepted =>
  "change_request" in outcome;

/** 200: applied (or already active); 202: a change request waits for approval. */
export type ActivationOutcome = Governed<ActivateConfigResponse>;

export interface ActivationOptions {
  environment?: string | undefined;
  /** The config_id expected active now (null: none); a mismatch is 412. */
  expectedActive?: string | null | undefined;
  /** Admin only: act in a frozen environment. */
  freezeOverrideReason?: string | undefined;
}

const seg = encodeURIComponent;
const json = (value: Record<string, unknown>) =>
  JSON.stringify(Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)));

export function governanceMethods(call: ApiCall) {
  return {
    activate: (strategy: string, configId: string, opts: ActivationOptions = {}) =>
      call<ActivationOutcome>(
        "POST",
        `/api/v1/configs/${seg(strategy)}/${seg(configId)}/activate`,
        { environment: opts.environment },
        json({ expected_active: opts.expectedActive, freeze_override_reason: opts.freezeOverrideReason }),
      ),

    promote: (
      strategy: string,
      configId: string,
      opts: { from: string; to: string } & Omit<ActivationOptions, "environment">,
    ) =>
      call<ActivationOutcome>(
        "POST",
        `/api/v1/configs/${seg(strategy)}/${seg(configId)}/promote`,
        {},
        json({
          from: opts.from,
          to: opts.to,
          expected_active: opts.expectedActive,
          freeze_override_reason: opts.freezeOverrideReason,
        }),
      ),

    /** Re-activate the version the current one superseded (a change request where approval is needed). */
    rollback: (
      strategy: string,
      opts: { environment?: string | undefined; freezeOverrideReason?: string | undefined } = {},
    ) =>
      call<ActivationOutcome>(
        "POST",
        `/api/v1/configs/${seg(strategy)}/rollback`,
        { environment: opts.environment },
        opts.freezeOverrideReason === undefined
          ? undefined
          : JSON.stringify({ freeze_override_reason: opts.freezeOverrideReason }),
      ),

    /** `selector`: only workers whose labels hold every pair, e.g. "canary=true,exchange=binance". */
    listWorkers: (opts: { environment?: string | undefined; selector?: string | undefined } = {}) =>
      call<{ items: WorkerView[]; legacy_mirrors: LegacyMirrorView[] }>("GET", "/api/v1/workers", {
        environment: opts.environment,
        selector: opts.selector,
      }),

    /** Starts a staged rollout (201), or proposes it as a change request where approval is needed (202). */
    startRollout: (input: {
      strategy: string;
      environment: string;
      config_id: string;
      steps: RolloutStep[];
      guards?: RolloutGuard[];
      freeze_override_reason?: string;
    }) => call<Governed<RolloutView>>("POST", "/api/v1/rollouts", undefined, json(input)),

    listRollouts: (opts: { environment?: string; strategy?: string; limit?: number } = {}) =>
      call<{ rollouts: RolloutView[] }>("GET", "/api/v1/rollouts", opts),

    /** A rollout with the workers it assigns and each guard as judged on their latest reports. */
    getRollout: (id: string) => call<RolloutStatus>("GET", `/api/v1/rollouts/${seg(id)}`),

    pauseRollout: (id: string) => call<RolloutView>("POST", `/api/v1/rollouts/${seg(id)}/pause`),
    resumeRollout: (id: string) => call<RolloutView>("POST", `/api/v1/rollouts/${seg(id)}/resume`),
    /** Every worker it assigned resolves the active version again. */
    abortRollout: (id: string, reason: string) =>
      call<RolloutView>("POST", `/api/v1/rollouts/${seg(id)}/abort`, undefined, json({ reason })),

    /** Schedules an activation, a rollback or a rollout for `at` (wall-clock in `time_zone`, or with its offset). */
    scheduleChange: (input: {
      kind: "activation" | "rollback" | "rollout" | "change_request";
      strategy?: string;
      environment?: string;
      change_request_id?: number;
      config_id?: string;
      steps?: RolloutStep[];
      guards?: RolloutGuard[];
      at: string;
      time_zone?: string;
    }) => call<ScheduledChangeView>("POST", "/api/v1/schedules", undefined, json(input)),

    listScheduledChanges: (opts: { environment?: string; state?: string; limit?: number } = {}) =>
      call<{ items: ScheduledChangeView[] }>("GET", "/api/v1/schedules", opts),

    cancelScheduledChange: (id: string, reason: string) =>
      call<ScheduledChangeView>("POST", `/api/v1/schedules/${seg(id)}/cancel`, undefined, json({ reason })),

    /** Admin: the worker leaves the view and its gauges; its id is free for another credential. */
    retireWorker: (workerId: string) =>
      call<{ worker_id: string; environment: string; reported_by: string; retired_at: string; retired_by: string }>(
        "POST",
        `/api/v1/workers/${seg(workerId)}/retire`,
      ),

    /** Paper and live sessions; with `at`, those open then, each with the configuration in use. */
    listSessions: (query: ListSessionsQuery = {}) =>
      call<SessionList>("GET", "/api/v1/sessions", query as Record<string, string | number | undefined>),

    /** A session with every configuration it applied. */
    getSession: (sessionId: string) => call<SessionDetail>("GET", `/api/v1/sessions/${seg(sessionId)}`),

    listChangeRequests: (
      filter: {
        status?: ChangeRequestStatus | undefined;
        strategy?: string | undefined;
        environment?: string | undefined;
        limit?: number | undefined;
        offset?: number | undefined;
      } = {},
    ) =>
      call<{ items: ChangeRequest[]; total: number; next_offset: number | null }>(
        "GET",
        "/api/v1/change-requests",
        filter,
      ),
    getChangeRequest: (id: number) => call<ChangeRequest>("GET", `/api/v1/change-requests/${id}`),
    approveChangeRequest: (
      id: number,
      opts: { comment?: string | undefined; freezeOverrideReason?: string | undefined } = {},
    ) =>
      call<ChangeRequest>(
        "POST",
        `/api/v1/change-requests/${id}/approve`,
        {},
        json({ comment: opts.comment, freeze_override_reason: opts.freezeOverrideReason }),
      ),
    rejectChangeRequest: (id: number, comment: string) =>
      call<ChangeRequest>("POST", `/api/v1/change-requests/${id}/reject`, {}, json({ comment })),
    breakGlass: (id: number, reason: string, freezeOverrideReason?: string) =>
      call<ChangeRequest>(
        "POST",
        `/api/v1/change-requests/${id}/break-glass`,
        {},
        json({ reason, freeze_override_reason: freezeOverrideReason }),
      ),

    listEnvironments: () => call<{ items: EnvironmentView[] }>("GET", "/api/v1/environments"),
    getEnvironment: (name: string) => call<EnvironmentView>("GET", `/api/v1/environments/${seg(name)}`),
    /** expected_updated_at: the policy's updated_at you read; if it changed since, 412. */
    updateEnvironmentPolicy: (
      name: string,
      policy: Partial<EnvironmentPolicy> & { expected_updated_at?: string | null },
      /** A change that weakens governance (approval off, fewer approvals, break-glass on) is proposed. */
    ) => call<Governed<EnvironmentView>>("PUT", `/api/v1/environments/${seg(name)}`, {}, JSON.stringify(policy)),
    addFreezeWindow: (environment: string, body: CreateFreezeInput) =>
      call<FreezeWindow>("POST", `/api/v1/environments/${seg(environment)}/freezes`, {}, JSON.stringify(body)),
    removeFreezeWindow: (environment: string, id: number) =>
      call<FreezeWindow>("DELETE", `/api/v1/environments/${seg(environment)}/freezes/${id}`),

    listAudit: (
      filter: {
        actor?: string | undefined;
        action?: string | undefined;
        target_type?: string | undefined;
        target_id?: string | undefined;
        since?: string | undefined;
        until?: string | undefined;
        limit?: number | undefined;
        offset?: number | undefined;
      } = {},
    ) => call<AuditList>("GET", "/api/v1/audit", filter),
    getAuditEntry: (seq: number) => call<AuditEntry>("GET", `/api/v1/audit/${seq}`),
    verifyAudit: () => call<AuditVerification>("GET", "/api/v1/audit/verify"),
    /** The tamper alarm's view: its last checks of the chain, any break, the last anchor written. */
    auditStatus: () => call<AuditChainStatus>("GET", "/api/v1/audit/status"),
    /** Whether the chain still holds each anchored head (a read: nothing is stored). */
    checkAuditAnchors: (anchors: { seq: number; hash: string }[]) =>
      call<AnchorsCheck>("POST", "/api/v1/audit/anchors/check", {}, JSON.stringify({ anchors })),
    restoreFromAudit: (
      seq: number,
      opts: { environment?: string | undefined; expectedActive?: string | null | undefined } = {},
    ) =>
      call<ActivationOutcome>(
        "POST",
        `/api/v1/audit/${seq}/restore`,
        {},
        json({ environment: opts.environment, expected_active: opts.expectedActive }),
      ),

    /** A bearer token for this user (what `tradai login` stores). */
    login: (username: string, password: string) =>
      call<{ principal: Principal; expires_at: string; token: string }>(
        "POST",
        "/api/v1/auth/login",
        {},
        JSON.stringify({ username, password, issue: "token" }),
      ),
    logout: () => call<void>("POST", "/api/v1/auth/logout"),
    me: () => call<Principal>("GET", "/api/v1/auth/me"),
    changePassword: (currentPassword: string, newPassword: string) =>
      call<void>(
        "POST",
        "/api/v1/auth/password",
        {},
        JSON.stringify({ current_password: currentPassword, new_password: newPassword }),
      ),

    listUsers: () => call<{ items: User[] }>("GET", "/api/v1/users"),
    createUser: (username: string, role: Role, password: string) =>
      call<User>("POST", "/api/v1/users", {}, JSON.stringify({ username, role, password })),
    updateUser: (username: string, change: { role?: Role; disabled?: boolean; password?: string }) =>
      call<User>("PATCH", `/api/v1/users/${seg(username)}`, {}, JSON.stringify(change)),
    listTokens: () => call<{ items: ServiceToken[] }>("GET", "/api/v1/tokens"),
    createToken: (input: {
      name: string;
      roles: Role[];
      environments?: string[];
      expires_in_days?: number;
      /** bind it to these worker ids ('live-*'): it may report only for them */
      worker_id?: string;
    }) => call<ServiceToken & { token: string }>("POST", "/api/v1/tokens", {}, JSON.stringify(input)),
    revokeToken: (id: number) => call<ServiceToken>("DELETE", `/api/v1/tokens/${id}`),
  };
}
