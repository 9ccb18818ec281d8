/**
 * Runs before every test file of the shared workers (vitest.config.mts): the code of this repository is evaluated
 * anew for each file, so module state (such as the library's registry of temporal tables) never reaches the next
 * file, while packages (PGlite with its compiled WebAssembly, drizzle-kit, better-auth) stay loaded.
 */
import { vi } from "vitest";

vi.resetModules();
