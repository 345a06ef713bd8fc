/**
 * @module The resources the OpenAPI document names in `components.schemas`: each core schema here
 * is emitted once under its name and referenced (`$ref`) wherever a route or another schema uses it.
 * Generated clients get these names as their types. Path and query schemas stay inline: they become
 * parameters, not schemas.
 */
import * as core from "@tradai/core";
import { globalRegistry, type ZodType } from "zod";

/** Component name -> schema. A name is the core export's name, capitalised. */
export const NAMED_SCHEMAS: Record<string, ZodType> = {
  Problem: core.problem,
  FieldError: core.fieldError,
  HealthResponse: core.healthResponse,
  LivenessResponse: core.livenessResponse,
  ReadinessResponse: core.readinessResponse,
  // access
  Principal: core.principal,
  LoginBody: core.loginBody,
  LoginResponse: core.loginResponse,
  ChangePasswordBody: core.changePasswordBody,
  User: core.user,
  CreateUserBody: core.createUserBody,
  UpdateUserBody: core.updateUserBody,
  ServiceToken: core.serviceToken,
  CreateTokenBody: core.createTokenBody,
  CreateTokenResponse: core.createTokenResponse,
  // configs and activation
  ConfigVersion: core.configVersion,
  ConfigVersionList: core.configVersionList,
  CreateConfigBody: core.createConfigBody,
  CreateConfigResponse: core.createConfigResponse,
  DeprecateConfigResponse: core.deprecateConfigResponse,
  StrategySummary: core.strategySummary,
  StrategyList: core.strategyList,
  ActivateConfigResponse: core.activateConfigResponse,
  HistoryEntry: core.historyEntry,
  // environments
  EnvironmentView: core.environmentView,
  EnvironmentList: core.environmentList,
  EnvironmentPolicy: core.environmentPolicy,
  EnvironmentBase: core.environmentBase,
  EnvironmentBaseBody: core.environmentBaseBody,
  FreezeWindow: core.freezeWindow,
  // change requests
  ChangeRequest: core.changeRequest,
  ChangeRequestList: core.changeRequestList,
  ChangeRequestAccepted: core.changeRequestAccepted,
  ChangeRequestReview: core.changeRequestReview,
  ChangeEffect: core.changeEffect,
  BreakGlassBody: core.breakGlassBody,
  // audit
  AuditEntry: core.auditEntry,
  AuditList: core.auditList,
  AuditVerification: core.auditVerification,
  AuditChainStatus: core.auditChainStatus,
  AuditAnchor: core.auditAnchor,
  AnchorsCheck: core.anchorsCheck,
  AnchorsCheckBody: core.anchorsCheckBody,
  // catalog
  CatalogEntry: core.catalogEntry,
  CatalogList: core.catalogList,
  CatalogParameter: core.catalogParameter,
  CatalogParameterBody: core.catalogParameterBody,
  DeprecateParameterBody: core.deprecateParameterBody,
  CatalogChangeResponse: core.catalogChangeResponse,
  CatalogWarning: core.catalogWarning,
  CatalogRule: core.catalogRule,
  CatalogRuleList: core.catalogRuleList,
  CatalogRevision: core.catalogRevision,
  CatalogRevisionList: core.catalogRevisionList,
  CatalogRevisionDiff: core.catalogRevisionDiff,
  PolicyBody: core.policyBody,
  UpdatePolicyBody: core.updatePolicyBody,
  VariantGrid: core.variantGrid,
  ShadowKeySummary: core.shadowKeySummary,
  // resolution
  ResolvedConfig: core.resolvedConfig,
  // runs
  Run: core.run,
  RunList: core.runList,
  RunLogs: core.runLogs,
  RunTrace: core.runTrace,
  RunEquity: core.runEquity,
  RunReportData: core.runReportData,
  RunComparison: core.runComparison,
  SubmitBacktestBody: core.submitBacktestBody,
  SubmitBacktestResponse: core.submitBacktestResponse,
  SubmitSweepBody: core.submitSweepBody,
  SubmitSweepResponse: core.submitSweepResponse,
  SweepView: core.sweepView,
  ParameterSet: core.parameterSet,
  ParameterSetResponse: core.parameterSetResponse,
  ParameterSetDiff: core.parameterSetDiff,
  // workers and sessions
  HeartbeatBody: core.heartbeatBody,
  WorkerView: core.workerView,
  OpenSessionsBody: core.openSessionsBody,
  OpenSessionsResponse: core.openSessionsResponse,
  SessionView: core.sessionView,
  SessionList: core.sessionList,
  SessionDetail: core.sessionDetail,
  AppliedRecord: core.appliedRecord,
  // imports and legacy mirrors
  ImportPlan: core.importPlan,
  LegacyDbImportBody: core.legacyDbImportBody,
  ConfigVersionsImportBody: core.configVersionsImportBody,
  ConfigVersionsImportResult: core.configVersionsImportResult,
  LegacyRunsImportBody: core.legacyRunsImportBody,
  LegacyRunsImportResult: core.legacyRunsImportResult,
  LegacyMirrorBody: core.legacyMirrorBody,
  LegacyMirrorView: core.legacyMirrorView,
};

/**
 * Gives each schema its component name in Zod's global registry (where fastify-type-provider-zod
 * looks for `id`s), keeping the description it already has. Idempotent: every app built in one
 * process (the tests build many) shares the registry.
 */
export function nameSchemas(): void {
  for (const [id, schema] of Object.entries(NAMED_SCHEMAS)) {
    if (globalRegistry.get(schema)?.id === id) continue;
    globalRegistry.add(schema, { ...globalRegistry.get(schema), id });
  }
}
