#!/usr/bin/env node
import { ensureUiBuilt } from '../ui/scripts/ensure-built.js';
import { createApp } from './create-app.js';

// Settings come from context: see infra/config.ts (e.g. `npx cdk deploy --all -c stage=prod`).
// The UI deployed is the one in the work tree: rebuilt here when ui/dist is missing or stale.
createApp({ nag: true, buildUi: () => ensureUiBuilt({ failHard: true }) });
