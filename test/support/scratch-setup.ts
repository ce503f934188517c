/** Per test file (vitest setupFiles): remove the file's scratch folders after its last test. */
import { afterAll } from 'vitest';
import { removeScratchDirs } from './scratch.js';

afterAll(removeScratchDirs);
