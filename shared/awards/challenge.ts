/**
 * Filing a challenge (质疑) to a confirmed award: apart from the award service so that the notice
 * pages, which only file challenges, need not load selection, pools and the ranking.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { audited, headOf } from '../audit/record';
import { stateAfter } from '../audit/write';
import type { Principal } from '../auth/principal';
import { CalendarSource } from '../calendar/source';
import { keys } from '../db/keys';
import {
  ForbiddenError,
  NotFoundError,
  ProblemError,
  RuleViolationError,
  ServiceUnavailableError,
} from '../errors';
import type { Deps } from '../http/deps';
import { OrganizationRepository } from '../organizations/repository';
import { answerDueAt } from '../rules/evaluate';
import type { CallRulePacks } from '../rules/model';
import { RulePackService } from '../rules/service';
import type { Award, Challenge } from './model';
import type { AwardRepository } from './repository';
import { cancellationCodes, DEFAULT_RETRY, type RetryOptions, transactWrite } from './transact';

const CCF = 'ConditionalCheckFailed';

/** An applicant that submitted to the award's call challenges it within its window (see AwardService). */
export async function fileChallenge(
  deps: Deps,
  awards: AwardRepository,
  award: Award,
  applicant: Principal,
  text: string,
  retry: RetryOptions = DEFAULT_RETRY,
): Promise<Challenge> {
  const table = deps.config.tableName;
  const now = deps.now();
  if (!applicant.orgId) throw new ForbiddenError();
  const windowClosed = () =>
    new RuleViolationError(
      'challenge-window-closed',
      `Challenges to this award were accepted until ${award.challengeDeadline} (7 working days from the notice).`,
      `本项质疑期已于 ${award.challengeDeadline} 届满（公示之日起 7 个工作日）`,
      { challengeDeadline: award.challengeDeadline },
    );
  if (award.status === 'cancelled')
    throw new RuleViolationError('award-cancelled', 'The award has been cancelled.', '该中标（立项）已撤销');
  if (
    award.status !== 'confirmed' ||
    !award.challengeDeadline ||
    now.getTime() >= Date.parse(award.challengeDeadline)
  )
    throw windowClosed();
  const [took, org] = await Promise.all([
    awards.orgSubmittedTo(applicant.orgId, award.callId),
    new OrganizationRepository(deps.doc, table).get(applicant.orgId),
  ]);
  if (!took || !org) {
    throw new ProblemError(
      403,
      'not-a-participant',
      'Forbidden',
      'Only an organization that submitted to this call can challenge its awards.',
      { detailZh: '只有参与本项目投标（申报）的机构可以提出质疑' },
    );
  }
  const at = now.toISOString();
  // The answer is due 7 working days after receipt (财政部令第94号 第十三条), by the rule packs the
  // call was published under (or those in force, for a call published before packs existed).
  const callItem = await deps.doc.send(
    new GetCommand({ TableName: table, Key: keys.call(award.callId), ProjectionExpression: 'rulePacks' }),
  );
  const packs = new RulePackService(deps);
  const recorded = callItem.Item?.rulePacks as CallRulePacks | undefined;
  const rules = recorded ? await packs.at(recorded) : await packs.inForce(award.jurisdictionPath);
  const due = await new CalendarSource(deps.doc, table).run((cal) => answerDueAt(rules, now, cal));
  const challenge: Challenge = {
    id: randomUUID(),
    awardId: award.id,
    callId: award.callId,
    orgId: org.id,
    orgName: org.name,
    jurisdictionPath: award.jurisdictionPath,
    text,
    submittedBy: applicant.userId,
    submittedAt: at,
    status: 'open',
    answerDueAt: due.value.toISOString(),
    calendarVersions: due.versions,
    version: 1,
  };
  const filed = audited(
    {
      Put: {
        TableName: table,
        Item: awards.challengeItem(challenge),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    undefined,
    { actor: applicant.userId, at, action: 'challenge.filed' },
  );
  // The award's counters are part of its audited state, so two challenges filed at once take
  // turns on the award's chain: the one that loses re-reads the award and goes again.
  for (let round = 0; round < 5; round++) {
    const read = await awards.getAsRead(award.id);
    if (!read) throw new NotFoundError('award');
    const current = read.award;
    const set = {
      openChallenges: current.openChallenges + 1,
      challenges: current.challenges + 1,
      version: current.version + 1,
    };
    try {
      // Action order: challenge, its entry, award, its entry.
      await transactWrite(
        deps.doc,
        [
          ...filed,
          ...audited(
            {
              Update: {
                TableName: table,
                Key: keys.award(award.id),
                UpdateExpression: 'SET openChallenges = :open, challenges = :count, version = :next',
                ConditionExpression: '#status = :confirmed AND challengeDeadline > :now AND version = :v',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':open': set.openChallenges,
                  ':count': set.challenges,
                  ':next': set.version,
                  ':v': current.version,
                  ':confirmed': 'confirmed',
                  ':now': at,
                },
              },
            },
            headOf(read.raw),
            { actor: applicant.userId, at, action: 'award.challenged', state: stateAfter(read.raw, set) },
          ),
        ],
        retry,
      );
      return challenge;
    } catch (e) {
      const codes = cancellationCodes(e);
      if (codes?.[2] === CCF || codes?.[3] === CCF) {
        const fresh = await awards.get(award.id);
        if (fresh?.status === 'cancelled')
          throw new RuleViolationError(
            'award-cancelled',
            'The award has been cancelled.',
            '该中标（立项）已撤销',
          );
        if (
          fresh?.status !== 'confirmed' ||
          !fresh.challengeDeadline ||
          at >= fresh.challengeDeadline ||
          fresh.version === current.version
        )
          throw windowClosed();
        continue; // another challenge or an answer moved the award: go again on the new version
      }
      throw e;
    }
  }
  throw new ServiceUnavailableError('The award kept changing; retry shortly.');
}
