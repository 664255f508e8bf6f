/**
 * The cold-import baseline of `npm run bench`: the least a Hono + DynamoDB Lambda can import —
 * `hono` with one route and the DynamoDB document client, constructed at module level the way
 * every function's `lambda.ts` does. Built with exactly the functions' esbuild options.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env.AWS_REGION }));
const app = new Hono();
app.get('/items/:id', async (c) => {
  const out = await doc.send(
    new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: c.req.param('id'), sk: 'ITEM' } }),
  );
  return out.Item ? c.json(out.Item) : c.notFound();
});

export const handler = handle(app);
