// The client side of bench/dpop.sh, with the npm `dpop` package: one ES256 key for the whole run (kept in a JWK
// file), DPoP logins, and proofs made ahead of the load, one per request, written one per line.
//   node proofs.mjs key FILE                          a new key pair
//   node proofs.mjs login FILE BASE PUBLIC USER N     N bound sessions: refresh tokens on stdout, last access token on stderr
//   node proofs.mjs proofs FILE PUBLIC METHOD PATH N [ACCESS_TOKEN]
import { readFileSync, writeFileSync } from 'node:fs';
import { generateKeyPair, generateProof } from 'dpop';
import { exportJWK, importJWK } from 'jose';

const [command, file, ...args] = process.argv.slice(2);

async function keypair() {
    const { privateJwk, publicJwk } = JSON.parse(readFileSync(file, 'utf8'));
    return {
        privateKey: await importJWK(privateJwk, 'ES256'),
        publicKey: await importJWK(publicJwk, 'ES256', { extractable: true }),
    };
}

if (command === 'key') {
    const pair = await generateKeyPair('ES256', { extractable: true });
    writeFileSync(file, JSON.stringify({ privateJwk: await exportJWK(pair.privateKey), publicJwk: await exportJWK(pair.publicKey) }));
} else if (command === 'login') {
    const [base, publicBase, username, count] = args;
    const pair = await keypair();
    let access = '';
    for (let i = 0; i < Number(count); i++) {
        const response = await fetch(`${base}/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', dpop: await generateProof(pair, `${publicBase}/auth/login`, 'POST') },
            body: JSON.stringify({ username, password: 'benchmark password' }),
        });
        const body = await response.json();
        if (response.status !== 200 || body.token_type !== 'DPoP') throw new Error(`login: ${response.status} ${JSON.stringify(body)}`);
        console.log(body.refresh_token);
        access = body.access_token;
    }
    console.error(access);
} else if (command === 'proofs') {
    const [publicBase, method, path, count, accessToken] = args;
    const pair = await keypair();
    const lines = [];
    for (let i = 0; i < Number(count); i++) {
        lines.push(await generateProof(pair, `${publicBase}${path}`, method, undefined, accessToken));
    }
    writeFileSync(1, `${lines.join('\n')}\n`);
} else {
    console.error('usage: key | login | proofs (see the header of this file)');
    process.exit(2);
}
