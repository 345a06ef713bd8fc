/**
 * @module The new strategy's name and the catalog policy it follows, then its first version's
 * values (FirstVersionForm, started afresh from the defaults whenever the choice changes).
 */
import { type EnvironmentBase, strategyName } from "@tradai/core";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { Field } from "@/components/field";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input, Select } from "@/components/ui/input";
import { type CatalogChoice, catalogChoices, catalogFor, type WholeCatalog } from "./catalog-choices";
import { FirstVersionForm } from "./first-version-form";

export interface NewStrategyFormProps {
  /** Strategies that have versions already: their names are taken. */
  existing: ReadonlySet<string>;
  catalog: WholeCatalog;
  environment: string;
  base: EnvironmentBase | undefined;
}

export interface NewStrategyName {
  name: string;
}

const choiceLabel = (c: CatalogChoice) =>
  `${c.strategy}: ${c.policy}, ${c.parameterCount} parameter${c.parameterCount === 1 ? "" : "s"}`;

export function NewStrategyForm({ existing, catalog, environment, base }: NewStrategyFormProps) {
  const head = useForm<NewStrategyName>({ defaultValues: { name: "" }, mode: "onTouched" });
  const name = head.watch("name").trim();
  const choices = catalogChoices(catalog, existing);
  const chosen = choices.find((c) => c.strategy === name);
  const applying = useMemo(() => catalogFor(catalog, name), [catalog, name]);
  const forAll = catalog.parameters.filter((p) => p.strategies.length === 0).length;
  const validateName = (value: string) => {
    const parsed = strategyName.safeParse(value.trim());
    if (!parsed.success) return parsed.error.issues[0]?.message ?? "not a strategy name";
    if (existing.has(parsed.data)) return `${parsed.data} exists already: add a version in its editor`;
    return true;
  };
  const { ref, ...nameField } = head.register("name", { validate: validateName });
  return (
    <div className="space-y-4">
      <Card aria-labelledby="new-strategy-title">
        <CardHeader>
          <CardTitle id="new-strategy-title">Strategy</CardTitle>
        </CardHeader>
        <CardContent className="grid grid-cols-1 gap-4 md:grid-cols-2">
          <Field
            label="Name"
            description="Letters, digits, '_', '.' or '-', starting with a letter."
            error={head.formState.errors.name?.message}
          >
            {(control) => <Input {...control} {...nameField} ref={ref} autoComplete="off" spellCheck={false} />}
          </Field>
          <Field
            label="Catalog policy"
            description={
              chosen
                ? `Versions of ${chosen.strategy} may hold ${chosen.policy === "strict" ? "only the parameters the catalog describes" : "other keys too"}.`
                : "The catalog describes a strategy by its name: choosing one of its strategies names the new one after it. Open: any key is accepted."
            }
          >
            {(control) => (
              <Select
                {...control}
                value={chosen?.strategy ?? ""}
                onChange={(e) =>
                  head.setValue("name", e.target.value, { shouldValidate: e.target.value !== "", shouldDirty: true })
                }
              >
                <option value="">{`open: not in the catalog, ${forAll} parameter${forAll === 1 ? "" : "s"} for every strategy`}</option>
                {choices.map((c) => (
                  <option key={c.strategy} value={c.strategy}>
                    {choiceLabel(c)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </CardContent>
      </Card>
      <FirstVersionForm
        key={chosen?.strategy ?? ""}
        head={head}
        strategy={name}
        catalog={applying}
        environment={environment}
        base={base}
      />
    </div>
  );
}
