// What the Vitest global setup hands to test workers: where the shared emulator is and its key.
export interface ProvidedEmulator {
  url: string;
  adminKey: string;
}

/** The key under which the global setup `provide`s the emulator; `inject(EMULATOR_KEY)` reads it. */
export const EMULATOR_KEY = 'eduEmulator';

declare module 'vitest' {
  export interface ProvidedContext {
    eduEmulator: ProvidedEmulator;
  }
}
