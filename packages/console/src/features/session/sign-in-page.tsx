/**
 * @module The sign-in page: username and password. The first page anyone loads, so it carries no
 * schema library: the form only asks for both fields (in the server's words), and the server's
 * login schema judges the rest, its field errors shown next to the fields.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useLocation, useNavigate } from "react-router";
import { Field } from "@/components/field";
import { ErrorState } from "@/components/states";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { ApiError, api } from "@/lib/api";
import { sessionKey } from "./session-query";

interface Credentials {
  username: string;
  password: string;
}

/** What core's field messages say of an empty required string. */
const required = { required: "must not be empty" } as const;

export function SignInPage() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<Credentials>({
    defaultValues: { username: "", password: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      const session = await api<{ principal: unknown }>("/api/v1/auth/login", {
        body: { ...values, issue: "cookie" },
      });
      // Nothing a previous user saw stays in memory.
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
      client.setQueryData(sessionKey, session.principal);
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from && from !== "/sign-in" ? from : "/", { replace: true });
    } catch (error) {
      if (error instanceof ApiError) {
        for (const e of error.fieldErrors) {
          if (e.field === "username" || e.field === "password") form.setError(e.field, { message: e.message });
        }
      }
      setFailure(error);
    }
  });

  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <CardTitle>
            <span className="block text-2xl">TradAI console</span>
            <span className="text-sm font-normal text-muted-foreground">Sign in to continue</span>
          </CardTitle>
        </CardHeader>
        <CardContent>
          <form onSubmit={submit} className="space-y-4" noValidate>
            <Field label="Username" error={errors.username?.message}>
              {(control) => <Input {...control} autoComplete="username" {...form.register("username", required)} />}
            </Field>
            <Field label="Password" error={errors.password?.message}>
              {(control) => (
                <Input
                  {...control}
                  type="password"
                  autoComplete="current-password"
                  {...form.register("password", required)}
                />
              )}
            </Field>
            {failure !== null && <ErrorState error={failure} />}
            <Button type="submit" className="w-full" disabled={isSubmitting}>
              {isSubmitting ? "Signing in…" : "Sign in"}
            </Button>
          </form>
        </CardContent>
      </Card>
    </main>
  );
}
