// --demo: starts the built-in simulators on 127.0.0.1 and returns the provider settings that
// point sessql at them, so every command works without credentials or network access.
import { startCloudConnexaSimulator } from './cloudconnexa/index.js';
import type { CloudConnexaSimOptions } from './cloudconnexa/index.js';

export interface Demo {
  config: Record<string, Record<string, string>>;
  close(): Promise<void>;
}

export interface DemoOptions {
  cloudconnexa?: CloudConnexaSimOptions;
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const cc = await startCloudConnexaSimulator({ sessions: 600, ...options.cloudconnexa });
  return {
    config: {
      cloudconnexa: { baseUrl: cc.url, clientId: cc.clientId, clientSecret: cc.clientSecret },
    },
    close: async () => {
      await cc.close();
    },
  };
}
