import { z } from 'zod';
import { exclusionFileSchema } from '../src/exclusions/schema.ts';
console.log(JSON.stringify(z.toJSONSchema(exclusionFileSchema, { io: 'input' }), null, 1).slice(0, 3000));
const r = exclusionFileSchema.safeParse({ exclusions: [{ id: 'a', description: 'x', enabled: true, when: { all: [{ field: 'process.name', equals: 'a', in: ['b'] }, { feld: 1 }] } }] });
console.log(JSON.stringify(r.error?.issues, null, 1).slice(0, 3000));
