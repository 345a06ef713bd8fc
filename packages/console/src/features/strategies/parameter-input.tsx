/**
 * @module The control for one catalog parameter, by its type: a switch (bool), a number with its
 * bounds and step, a select (enum), text (string, secret reference), a duration, a list, JSON.
 * `undefined` means "not set in this version" (the value comes from a lower layer).
 */
import type { CatalogParameter } from "@tradai/core";
import { type Ref, useEffect, useState } from "react";
import { formatValue } from "@/components/diff-table";
import { Input, Select, Textarea } from "@/components/ui/input";
import { Switch } from "@/components/ui/switch";

export interface ControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid": boolean;
}

export interface ParameterInputProps {
  parameter: CatalogParameter;
  control: ControlProps;
  value: unknown;
  /** What the parameter resolves to without this version's value (shown as the placeholder). */
  inherited: unknown;
  onChange(value: unknown): void;
  onBlur(): void;
  inputRef?: Ref<HTMLElement>;
  disabled?: boolean;
}

/** A list typed as text: "1, 2, 4" -> [1, 2, 4]; "true" -> true; anything else stays a string. */
export function parseListText(text: string): (string | number | boolean)[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "")
    .map((item) => {
      if (item === "true") return true;
      if (item === "false") return false;
      if (/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(item)) return Number(item);
      return item;
    });
}

const listText = (value: unknown) => (Array.isArray(value) ? value.map((v) => String(v)).join(", ") : "");

/** Text typed by the user, kept while it still means the value held by the form. */
function useText(value: unknown, toText: (v: unknown) => string, parse: (text: string) => unknown) {
  const [text, setText] = useState(() => toText(value));
  useEffect(() => {
    setText((current) => (JSON.stringify(parse(current)) === JSON.stringify(value) ? current : toText(value)));
  }, [value, toText, parse]);
  return [text, setText] as const;
}

const numberText = (v: unknown) => (v === undefined ? "" : String(v));
const parseNumber = (text: string) => (text.trim() === "" ? undefined : Number(text));
const parseList = (text: string) => (text.trim() === "" ? undefined : parseListText(text));
const jsonText = (v: unknown) => (v === undefined ? "" : JSON.stringify(v, null, 2));
const parseJson = (text: string) => {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};
const plainText = (v: unknown) => (v === undefined ? "" : String(v));
const parsePlain = (text: string) => (text === "" ? undefined : text);

function NumberInput({
  parameter,
  control,
  value,
  inherited,
  onChange,
  onBlur,
  inputRef,
  disabled,
}: ParameterInputProps) {
  const [text, setText] = useText(value, numberText, parseNumber);
  return (
    <Input
      {...control}
      ref={inputRef as Ref<HTMLInputElement>}
      type="number"
      inputMode="decimal"
      min={parameter.min}
      max={parameter.max}
      step={parameter.step ?? (parameter.type === "int" ? 1 : "any")}
      value={text}
      placeholder={inherited === undefined ? "not set" : `inherited: ${formatValue(inherited)}`}
      disabled={disabled}
      onBlur={onBlur}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseNumber(e.target.value));
      }}
    />
  );
}

function ListInput({ control, value, inherited, onChange, onBlur, inputRef, disabled }: ParameterInputProps) {
  const [text, setText] = useText(value, listText, parseList);
  return (
    <Input
      {...control}
      ref={inputRef as Ref<HTMLInputElement>}
      value={text}
      placeholder={inherited === undefined ? "comma-separated items" : `inherited: ${listText(inherited) || "(empty)"}`}
      disabled={disabled}
      onBlur={onBlur}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseList(e.target.value));
      }}
    />
  );
}

function JsonInput({ control, value, onChange, onBlur, inputRef, disabled }: ParameterInputProps) {
  const [text, setText] = useText(value, jsonText, parseJson);
  return (
    <Textarea
      {...control}
      ref={inputRef as Ref<HTMLTextAreaElement>}
      className="font-mono text-xs"
      value={text}
      disabled={disabled}
      onBlur={onBlur}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseJson(e.target.value));
      }}
    />
  );
}

export function ParameterInput(props: ParameterInputProps) {
  const { parameter, control, value, inherited, onChange, onBlur, inputRef, disabled } = props;
  switch (parameter.type) {
    case "bool": {
      const checked = typeof value === "boolean" ? value : inherited === true;
      return (
        <div className="flex items-center gap-2">
          <Switch
            {...control}
            ref={inputRef as Ref<HTMLButtonElement>}
            checked={checked}
            disabled={disabled}
            onBlur={onBlur}
            onCheckedChange={(on) => onChange(on)}
          />
          <span className="text-sm text-muted-foreground">
            {checked ? "on" : "off"}
            {value === undefined ? " (inherited)" : ""}
          </span>
        </div>
      );
    }
    case "int":
    case "number":
      return <NumberInput {...props} />;
    case "enum": {
      const allowed = parameter.allowed ?? [];
      const index = allowed.indexOf(value as string | number);
      return (
        <Select
          {...control}
          ref={inputRef as Ref<HTMLSelectElement>}
          value={value === undefined ? "" : index >= 0 ? String(index) : "invalid"}
          disabled={disabled}
          onBlur={onBlur}
          onChange={(e) => onChange(e.target.value === "" ? undefined : allowed[Number(e.target.value)])}
        >
          <option value="">{inherited === undefined ? "not set" : `inherited: ${formatValue(inherited)}`}</option>
          {value !== undefined && index < 0 && <option value="invalid">{formatValue(value)} (not allowed)</option>}
          {allowed.map((a, i) => (
            <option key={String(a)} value={String(i)}>
              {String(a)}
            </option>
          ))}
        </Select>
      );
    }
    case "list":
      return <ListInput {...props} />;
    case "json":
    case "number_map":
      return <JsonInput {...props} />;
    default: {
      const placeholder =
        inherited !== undefined
          ? `inherited: ${formatValue(inherited)}`
          : parameter.type === "duration"
            ? "e.g. 30s, 15m, 4h"
            : "not set";
      return (
        <Input
          {...control}
          ref={inputRef as Ref<HTMLInputElement>}
          value={plainText(value)}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          disabled={disabled}
          onBlur={onBlur}
          onChange={(e) => onChange(parsePlain(e.target.value))}
        />
      );
    }
  }
}
