import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PRODUCTS, REQUEST_TYPES, SEVERITIES, SUBMITTER_ROLES } from '../../domain/case/case.types';
import type { Product, RequestType, Severity, SubmitterRole } from '../../domain/case/case.types';
import { IsIanaTimeZone } from '../../platform/validation/is-iana-time-zone';
import { IsHolidayCountry } from '../../platform/validation/is-holiday-country';
import { IsHolidayRegion } from '../../platform/validation/is-holiday-region';
import { IsTimeZoneOfCountry } from '../../platform/validation/is-time-zone-of-country';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const ID_MESSAGE = '$property must be 1-100 letters, digits, ".", "_", ":" or "-"';

export class ContactDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty() @IsEmail({}, { message: 'contact.email must be an e-mail address' }) @MaxLength(320) email!: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9 ().-]{3,40}$/, { message: 'contact.phone must be a phone number' })
  phone?: string;
  @ApiProperty({
    example: 'Europe/Paris',
    description: "The contact's IANA zone; checked against country where the tz database can tell",
  })
  @IsIanaTimeZone()
  @IsTimeZoneOfCountry()
  timeZone!: string;
  @ApiPropertyOptional({ example: 'FR', description: 'Required when the SLA policy closes on public holidays' })
  @IsOptional()
  @IsISO31661Alpha2({ message: 'contact.country must be an ISO 3166-1 alpha-2 country code such as FR' })
  @IsHolidayCountry()
  country?: string;
  @ApiPropertyOptional({
    example: 'NSW',
    description:
      "A region of country (state, province, Land) whose public holidays close the contact's business calendar too",
  })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  @IsHolidayRegion()
  region?: string;
}

export class AzureDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) subscriptionId?: string;
  @ApiPropertyOptional({
    example: 'SCS4F7Q2K9',
    description: "The programme's access ID: 6-20 letters or digits (else rejected as malformed)",
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  accessId?: string;
  @ApiPropertyOptional({
    example: '7205118',
    description:
      "The programme's contract ID: 6-12 digits (else rejected as malformed); bound to the partner on first use",
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  contractId?: string;
}

/** CRM Online's conditions; the shapes are the domain's to judge (missing or malformed: rejected with the reason). */
export class CrmOnlineDto {
  @ApiPropertyOptional({
    example: 'admin@contoso.onmicrosoft.com',
    description: 'The Office 365 sign-in used for the Microsoft Online portal',
  })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  office365SignIn?: string;
  @ApiPropertyOptional({ description: 'The CRM Online subscription' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  subscriptionId?: string;
}

export class AttachmentDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(255) name!: string;
  @ApiProperty()
  @IsString()
  @Matches(/^[\w.+-]+\/[\w.+-]+$/, { message: '$property must be a MIME type such as text/plain' })
  contentType!: string;
  @ApiProperty() @IsInt() @Min(0) @Max(10 * 1024 ** 3) sizeBytes!: number;
}

/** POST /v1/cases (api.md). Eligibility (roles, Azure identifiers) is the domain's to judge and record. */
export class SubmitCaseDto {
  @ApiProperty({ description: 'The submitting partner; a partner key may only name its own' })
  @Matches(ID, { message: ID_MESSAGE })
  partnerId!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "Absent or null: the partner's own subscription",
    example: 'c-fabrikam',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(ID, { message: ID_MESSAGE })
  customerId?: string | null;

  @ApiProperty({ enum: PRODUCTS })
  @IsIn(PRODUCTS, { message: `product must be one of ${PRODUCTS.join(', ')}` })
  product!: Product;

  @ApiProperty({ enum: REQUEST_TYPES })
  @IsIn(REQUEST_TYPES, { message: `requestType must be one of ${REQUEST_TYPES.join(', ')}` })
  requestType!: RequestType;

  @ApiProperty({ enum: SUBMITTER_ROLES })
  @IsIn(SUBMITTER_ROLES, { message: `submitterRole must be one of ${SUBMITTER_ROLES.join(', ')}` })
  submitterRole!: SubmitterRole;

  @ApiPropertyOptional({ type: AzureDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AzureDto)
  azure?: AzureDto;

  @ApiPropertyOptional({
    description:
      "On behalf of a customer: the submitter is the customer's partner of record (Azure administrators need it); absent: false",
  })
  @IsOptional()
  @IsBoolean()
  partnerOfRecord?: boolean;

  @ApiPropertyOptional({ type: CrmOnlineDto, description: 'Required for CRM Online repairs' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CrmOnlineDto)
  crmOnline?: CrmOnlineDto;

  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) topic!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) feature!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) symptom!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) summary!: string;
  @ApiProperty() @IsString() @MaxLength(20000) details!: string;
  @ApiProperty() @IsBoolean() serviceUnavailable!: boolean;
  @ApiProperty() @IsInt() @Min(0) @Max(10_000_000) usersAffected!: number;

  @ApiProperty({ type: ContactDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact!: ContactDto;

  @ApiProperty() @IsBoolean() partnerAvailable24x7!: boolean;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES, { message: 'proposedSeverity must be one of A, B, C' })
  proposedSeverity?: Severity;

  @ApiPropertyOptional({ type: [AttachmentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];
}
