// Test helper: where the frozen copy of the catalog as shipped in November 2026 lives (catalog, lock,
// device-query names). Unit tests read it, never the shipped catalog, which every new accelerator changes.
import { join } from 'node:path';

export const frozenCatalogRoot = join(import.meta.dirname, 'fixtures', 'catalog-2026-11');
