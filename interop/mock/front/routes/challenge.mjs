// PUT /v1/challenge (auth socket) checked as production's ChallengeController reads it before the mock answers:
// a JSON body whose "type" picks the answer ("captcha" with a non-blank token and captcha, or
// "rateLimitPushChallenge" with a challenge); an unknown type is 400 (Jackson cannot bind it) and a blank field 422
// (bean validation). What was answered is kept for tests: frontChallenges → [{type, token, captcha, status}].
export default function register(front) {
  const answers = [];
  const blank = value => typeof value !== 'string' || value.trim() === '';

  front.rest.register({ verb: 'PUT', pathPrefix: '/v1/challenge', socket: 'auth', name: 'challenge' }, async (request, context) => {
    let body;
    try {
      body = JSON.parse(request.body.toString('utf8'));
    } catch {
      answers.push({ type: null, status: 400 });
      return { status: 400 };
    }
    const answer = { type: body?.type ?? null, token: body?.token ?? null, captcha: body?.captcha ?? null };
    answers.push(answer);
    if (answer.type !== 'captcha' && answer.type !== 'rateLimitPushChallenge') {
      answer.status = 400;
      return { status: 400 };
    }
    const invalid = answer.type === 'captcha' ? blank(body.token) || blank(body.captcha) : blank(body.challenge);
    if (invalid) {
      answer.status = 422;
      return { status: 422 };
    }
    const reply = await context.forward();
    answer.status = reply.status;
    return reply;
  });

  return { frontChallenges: async () => answers };
}
