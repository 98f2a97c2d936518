// Registration commands for harness.mjs (merged into its command table).
//   setRegisterResponseError {code, data?} → the mock answers every POST /v1/registration with that status and
//     JSON body (e.g. 423 for a registration lock) until cleared with {code: null}.
export default function registrationCommands({ server }) {
  return {
    setRegisterResponseError: async ({ code = null, data = {} }) => {
      server.setRegisterResponseError(code === null ? undefined : { code, data });
      return true;
    },
  };
}
