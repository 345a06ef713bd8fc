/**
 * @module The "New parameter" button and its dialog (admins only); opens the parameter's page once
 * added. When adding it needs approval, the dialog shows the change request instead.
 */
import { Plus } from "lucide-react";
import { useState } from "react";
import { useNavigate } from "react-router";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { ParameterForm } from "./parameter-form";

export function NewParameterDialog() {
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <Plus aria-hidden="true" /> New parameter
        </Button>
      </DialogTrigger>
      <DialogContent title="New parameter" description="Adding it makes a new catalog revision." className="max-w-2xl">
        <ParameterForm
          mode="create"
          onCancel={() => setOpen(false)}
          onSaved={(outcome, name) => {
            if (outcome.outcome !== "applied") return;
            setOpen(false);
            navigate(`/catalog/parameters/${encodeURIComponent(name)}`);
          }}
        />
      </DialogContent>
    </Dialog>
  );
}
