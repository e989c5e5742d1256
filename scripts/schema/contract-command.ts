// npm run schema:contract -- partner: prints the partner contract's SDL (the API schema cut to what
// @tag(name: "partner") marks, gateway/src/security/partner-contract.ts), composed from the working
// tree, to hand to partners. Tagging mistakes go to stderr and fail the command.
import { composeSupergraph } from '@cloudmart/gateway/compose';
import { PARTNER_TAG, PartnerContract } from '@cloudmart/gateway/partner-contract';

const [name] = process.argv.slice(2);
if (name !== PARTNER_TAG) {
  console.error(`usage: npm run schema:contract -- ${PARTNER_TAG}\n(the only contract is "${PARTNER_TAG}")`);
  process.exit(2);
}
const composed = composeSupergraph();
if (!composed.ok) {
  console.error(`Composition failed:\n  ${composed.errors.join('\n  ')}`);
  process.exit(1);
}
const contract = PartnerContract.fromSupergraph(composed.supergraphSdl, name);
process.stdout.write(contract.printSdl());
for (const problem of contract.problems) console.error(`contract problem: ${problem}`);
process.exit(contract.problems.length > 0 ? 1 : 0);
