import { ensureUiBuilt } from '../../ui/scripts/ensure-built.js';

/** The e2e tests drive the built UI as `npm start` serves it; build it first when it is missing or stale. */
export default function setup(): void {
  ensureUiBuilt({ failHard: true });
}
