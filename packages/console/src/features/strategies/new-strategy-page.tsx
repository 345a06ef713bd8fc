/**
 * @module A new strategy (/strategies/new): its name, the catalog policy it follows, and its first
 * version's values; saving creates that version (POST /api/v1/configs) and opens its versions.
 */
import { Link } from "react-router";
import { PageHeader } from "@/components/page";
import { ErrorState, Loading } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { useEnvironment } from "../environments/environment-context";
import { useCan } from "../session/can";
import { useEnvironmentBase } from "./environment-base-query";
import { NewStrategyForm } from "./new-strategy-form";
import { useStrategies } from "./strategies-query";
import { useWholeCatalog } from "./whole-catalog-query";

export function NewStrategyPage() {
  const { environment } = useEnvironment();
  const canCreate = useCan("configs.create");
  const strategies = useStrategies();
  const catalog = useWholeCatalog();
  const base = useEnvironmentBase(environment);
  const error = strategies.error ?? catalog.error;
  return (
    <>
      <PageHeader
        title="New strategy"
        description={
          <>
            Name it, choose the catalog policy it follows, and save its first version.{" "}
            <Link className="text-primary underline" to="/strategies">
              All strategies
            </Link>
          </>
        }
      />
      {!canCreate ? (
        <Alert tone="info">Your role may not create config versions.</Alert>
      ) : strategies.isPending || catalog.isPending ? (
        <Loading label="Loading the catalog" />
      ) : error ? (
        <ErrorState error={error} />
      ) : strategies.data && catalog.data ? (
        <NewStrategyForm
          existing={new Set(strategies.data.items.map((s) => s.strategy_name))}
          catalog={catalog.data}
          environment={environment}
          base={base.data}
        />
      ) : null}
    </>
  );
}
