// Validates Kubernetes objects (a JSON array on stdin) against the Kubernetes API schemas with
// kubernetes-models, whose models are ES modules only: the tests (CommonJS under ts-jest) run this
// script in a child process. Prints one result per object: { kind, name, result, errors? }.
const groups = {
  'v1': await import('kubernetes-models/v1'),
  'apps/v1': await import('kubernetes-models/apps/v1'),
  'autoscaling/v2': await import('kubernetes-models/autoscaling/v2'),
  'policy/v1': await import('kubernetes-models/policy/v1'),
  'batch/v1': await import('kubernetes-models/batch/v1'),
  'networking.k8s.io/v1': await import('kubernetes-models/networking.k8s.io/v1'),
};
let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = JSON.parse(input).map((object) => {
  const Model = groups[object.apiVersion]?.[object.kind];
  const where = { kind: object.kind, name: object.metadata?.name };
  if (!Model) return { ...where, result: 'no-schema' };
  try {
    new Model(object).validate();
    return { ...where, result: 'valid' };
  } catch (e) {
    return { ...where, result: 'invalid', errors: String(e.message ?? e) };
  }
});
process.stdout.write(JSON.stringify(results));
