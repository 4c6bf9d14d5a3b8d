// --demo: starts the built-in simulators on 127.0.0.1 and returns the provider settings that
// point sessql at them, so every command works without credentials or network access.
import { startAzureSimulator, type AzureSimOptions } from './azure/index.js';
import { startCloudConnexaSimulator, type CloudConnexaSimOptions } from './cloudconnexa/index.js';

export interface Demo {
  config: Record<string, Record<string, string>>;
  close(): Promise<void>;
}

export interface DemoOptions {
  cloudconnexa?: CloudConnexaSimOptions;
  azure?: AzureSimOptions;
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const [cc, az] = await Promise.all([
    startCloudConnexaSimulator({ sessions: 600, ...options.cloudconnexa }),
    // polls answer at once in the demo; real ARM asks for at least 10 s between polls
    startAzureSimulator({ retryAfterSeconds: 0, ...options.azure }),
  ]);
  return {
    config: {
      cloudconnexa: { baseUrl: cc.url, clientId: cc.clientId, clientSecret: cc.clientSecret },
      azure: { resourceManagerUrl: az.url, accessToken: az.token },
    },
    close: async () => {
      await Promise.all([cc.close(), az.close()]);
    },
  };
}
