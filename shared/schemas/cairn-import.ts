import { z } from 'zod';

/** `GET /api/2.0/cairn/import/target` takes no fields (functions/api/routes/cairn-import.ts). */
export const ImportTargetRequest = z.object({});
