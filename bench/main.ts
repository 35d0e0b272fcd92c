// `npm run bench`: every benchmark suite, printed as tables. Suites register here.
async function main(): Promise<void> {
  console.log('No benchmark suites yet.');
}

void main();
