// Production answers GET /v1/keepalive/provisioning on a provisioning socket (the mock has no such route).
export default function register(front) {
  front.rest.register(
    { verb: 'GET', pathPrefix: '/v1/keepalive/provisioning', socket: 'provisioning', name: 'provisioningKeepalive' },
    async () => ({ status: 200 }));
}
