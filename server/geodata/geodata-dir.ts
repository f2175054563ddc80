// Where the shipped geodata lives (boundary files, place lists, glyphs). Its own file so the store
// can name the folder without importing the loader, which writes through the store.
import { resolve } from 'node:path';

export const GEODATA_DIR = resolve(import.meta.dirname, '../../geodata');
