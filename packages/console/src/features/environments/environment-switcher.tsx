/** @module The header's environment switcher. */
import { Select } from "@/components/ui/input";
import { useEnvironment } from "./environment-context";

export function EnvironmentSwitcher() {
  const { environment, setEnvironment, names } = useEnvironment();
  return (
    <div className="flex items-center gap-2 text-sm">
      <label htmlFor="environment-switcher" className="text-slate-200">
        Environment
      </label>
      <Select
        id="environment-switcher"
        className="h-8 w-auto bg-slate-800 text-white border-slate-500"
        value={environment}
        onChange={(e) => setEnvironment(e.target.value)}
        data-testid="environment-switcher"
      >
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </Select>
    </div>
  );
}
