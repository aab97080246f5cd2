// The registry namespace a run builds for, checked the same way for every command (parse checks
// --registry before any command loads the catalog).
import { RegistryNamespace } from '../catalog/grammar.js';
import { UserError } from '../errors.js';

/** The namespace this run uses (--registry, else ACCELBASE_REGISTRY: the run config), checked the same way for every command. */
export function namespaceOption(ns: string | undefined): string | undefined {
  if (ns !== undefined && !RegistryNamespace.safeParse(ns).success) {
    throw new UserError(
      `--registry "${ns}" is not a registry namespace like acceleratorbase or 127.0.0.1:5000/acceleratorbase`,
    );
  }
  return ns;
}
