// --demo: starts the built-in simulators on 127.0.0.1 and returns the provider settings that
// point sessql at them, so every command works without credentials or network access.
import { startAzureSimulator, type AzureSimOptions } from './azure/index.js';
import { startCloudConnexaSimulator, type CloudConnexaSimOptions } from './cloudconnexa/index.js';
import { startBoundarySimulator, type BoundarySimOptions } from './boundary/index.js';
import { startSsmSimulator, type SsmSimOptions } from './ssm/index.js';

export interface Demo {
  config: Record<string, Record<string, string>>;
  close(): Promise<void>;
}

export interface DemoOptions {
  cloudconnexa?: CloudConnexaSimOptions;
  azure?: AzureSimOptions;
  boundary?: BoundarySimOptions;
  ssm?: SsmSimOptions;
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const [cc, az, bnd, ssm] = await Promise.all([
    startCloudConnexaSimulator({ sessions: 600, ...options.cloudconnexa }),
    // polls answer at once in the demo; real ARM asks for at least 10 s between polls
    startAzureSimulator({ retryAfterSeconds: 0, ...options.azure }),
    startBoundarySimulator({ ...options.boundary }),
    startSsmSimulator({ ...options.ssm }),
  ]);
  return {
    config: {
      // the simulator serves a window's sessions in creation order, so the demo uses the finer split
      cloudconnexa: { baseUrl: cc.url, clientId: cc.clientId, clientSecret: cc.clientSecret, pageOrder: 'created' },
      azure: { resourceManagerUrl: az.url, accessToken: az.token },
      boundary: { addr: bnd.url, token: bnd.token },
      // the empty profile and session token keep a developer's own AWS settings out of the demo
      aws: {
        endpoint: ssm.url,
        region: ssm.regions[0],
        accessKeyId: ssm.accessKeyId,
        secretAccessKey: ssm.secretAccessKey,
        sessionToken: '',
        profile: '',
      },
    },
    close: async () => {
      await Promise.all([cc.close(), az.close(), bnd.close(), ssm.close()]);
    },
  };
}
