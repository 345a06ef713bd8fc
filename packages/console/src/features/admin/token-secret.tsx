/** @module A new token's secret, shown once with a copy button and a warning that it will not be shown again. */
import { Copy } from "lucide-react";
import { useId, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

export function TokenSecret({ name, secret }: { name: string; secret: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      // No clipboard (permission, insecure origin): select it for the user to copy by hand.
      input.current?.select();
      setCopied("failed");
    }
  };
  return (
    <div className="space-y-3">
      <Alert tone="warning">
        <p className="font-medium">Copy the secret of {name} now: it is shown only this once.</p>
        <p>
          The server keeps only its hash. When this dialog closes it is gone; if it is lost, revoke the token and create
          another.
        </p>
      </Alert>
      <div className="space-y-1.5">
        <Label htmlFor={id}>Token secret</Label>
        <div className="flex gap-2">
          <Input
            ref={input}
            id={id}
            readOnly
            value={secret}
            className="font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
            data-testid="token-secret"
          />
          <Button variant="outline" onClick={copy}>
            <Copy aria-hidden /> Copy
          </Button>
        </div>
        <p aria-live="polite" className="text-xs text-muted-foreground">
          {copied === "yes" && "Copied to the clipboard."}
          {copied === "failed" && "The browser refused the clipboard: the secret is selected, copy it with Ctrl+C."}
        </p>
      </div>
    </div>
  );
}
