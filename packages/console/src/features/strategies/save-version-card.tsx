/** @module The card that saves a form's values as a version: its description, errors and the button. */
import { Field } from "@/components/field";
import { ErrorState } from "@/components/states";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";

export interface SaveVersionCardProps {
  id: string;
  title: string;
  /** What the description should say, under its field. */
  hint: string;
  action: string;
  description: string;
  onDescription(value: string): void;
  saving: boolean;
  /** Some field is marked invalid. */
  invalid: boolean;
  /** A form-wide error (react-hook-form's root error). */
  rootError: string | undefined;
  failure: unknown;
}

export function SaveVersionCard(props: SaveVersionCardProps) {
  return (
    <Card aria-labelledby={props.id}>
      <CardHeader>
        <CardTitle id={props.id}>{props.title}</CardTitle>
      </CardHeader>
      <CardContent className="space-y-3">
        <Field label="Description" description={props.hint}>
          {(control) => (
            <Input
              {...control}
              value={props.description}
              maxLength={2000}
              onChange={(e) => props.onDescription(e.target.value)}
            />
          )}
        </Field>
        {props.rootError && <Alert tone="danger">{props.rootError}</Alert>}
        {props.failure !== null && <ErrorState error={props.failure} />}
        <div className="flex flex-wrap items-center gap-2">
          <Button type="submit" disabled={props.saving}>
            {props.saving ? "Saving…" : props.action}
          </Button>
          {props.invalid && (
            <span className="text-sm text-destructive" role="status">
              Fix the fields marked above first.
            </span>
          )}
        </div>
      </CardContent>
    </Card>
  );
}
