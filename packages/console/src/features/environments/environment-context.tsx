/**
 * @module The environment the console is looking at (the header's switcher): pages that show one
 * environment use it. Remembered in this browser.
 */
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from "react";
import { ErrorState, Loading } from "@/components/states";
import { chooseEnvironment, rememberEnvironment, rememberedEnvironment } from "./environment-choice";
import { useEnvironments } from "./environments-query";

interface EnvironmentChoice {
  environment: string;
  setEnvironment(name: string): void;
  names: string[];
}

const Context = createContext<EnvironmentChoice | null>(null);

export function EnvironmentProvider({ children }: { children: ReactNode }) {
  const environments = useEnvironments();
  const names = useMemo(() => environments.data?.items.map((e) => e.name) ?? [], [environments.data]);
  const [chosen, setChosen] = useState<string>(rememberedEnvironment);
  const environment = chooseEnvironment(environments.data?.items ?? [], chosen);
  useEffect(() => {
    if (environment) rememberEnvironment(environment);
  }, [environment]);
  const value = useMemo(() => ({ environment, setEnvironment: setChosen, names }), [environment, names]);
  if (environments.isPending)
    return (
      <div className="p-6">
        <Loading label="Loading environments" />
      </div>
    );
  if (environments.error)
    return (
      <div className="p-6">
        <ErrorState error={environments.error} />
      </div>
    );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useEnvironment(): EnvironmentChoice {
  const value = useContext(Context);
  if (!value) throw new Error("useEnvironment outside EnvironmentProvider");
  return value;
}
