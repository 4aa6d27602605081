// The benchmark's credentials, in a module of their own: the measured Node servers import them
// without loading the harness (its child processes and tools) into the process being measured.
export const CREDS = { accessKeyId: 'AKIDBENCHMARK000001', secretAccessKey: 'bench-secret-key-not-real', region: 'us-east-1' };
