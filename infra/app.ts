#!/usr/bin/env node
import { createApp } from './create-app.js';

// Settings come from context: see infra/config.ts (e.g. `npx cdk deploy --all -c stage=prod`).
createApp({ nag: true });
