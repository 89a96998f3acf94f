// Built-in schemas of the Defender XDR advanced hunting tables the RMM rules and the enrichment use.
// Column names and types follow Microsoft's advanced hunting schema reference, e.g.
// https://learn.microsoft.com/en-us/defender-xdr/advanced-hunting-devicenetworkevents-table
// https://learn.microsoft.com/en-us/defender-xdr/advanced-hunting-deviceinfo-table
// https://learn.microsoft.com/en-us/defender-xdr/advanced-hunting-identityinfo-table
// https://learn.microsoft.com/en-us/azure/azure-monitor/reference/tables/devicefilecertificateinfo
import type { TableSchema } from '../types.js';
import { columns, INITIATING_PROCESS_VERSION_INFO } from './columns.js';

const INITIATING_PROCESS_ACCOUNT =
  'InitiatingProcessAccountDomain:string InitiatingProcessAccountName:string InitiatingProcessAccountSid:string ' +
  'InitiatingProcessAccountUpn:string InitiatingProcessAccountObjectId:string';

const INITIATING_PROCESS_SESSION =
  'InitiatingProcessSessionId:long IsInitiatingProcessRemoteSession:bool InitiatingProcessRemoteSessionDeviceName:string ' +
  'InitiatingProcessRemoteSessionIP:string InitiatingProcessUniqueId:string';

const DeviceFileCertificateInfo: TableSchema = {
  name: 'DeviceFileCertificateInfo',
  columns: columns(`
    Timestamp:datetime DeviceId:string DeviceName:string SHA1:string IsSigned:bool SignatureType:string
    Signer:string SignerHash:string Issuer:string IssuerHash:string CertificateSerialNumber:string
    CrlDistributionPointUrls:string CertificateCreationTime:datetime CertificateExpirationTime:datetime
    CertificateCountersignatureTime:datetime IsTrusted:bool IsRootSignerMicrosoft:bool ReportId:long
  `),
};

const DeviceProcessEvents: TableSchema = {
  name: 'DeviceProcessEvents',
  columns: columns(`
    Timestamp:datetime DeviceId:string DeviceName:string ActionType:string FileName:string FolderPath:string
    SHA1:string SHA256:string MD5:string FileSize:long
    ProcessVersionInfoCompanyName:string ProcessVersionInfoProductName:string ProcessVersionInfoProductVersion:string
    ProcessVersionInfoInternalFileName:string ProcessVersionInfoOriginalFileName:string ProcessVersionInfoFileDescription:string
    ProcessId:long ProcessCommandLine:string ProcessIntegrityLevel:string ProcessTokenElevation:string ProcessCreationTime:datetime
    AccountDomain:string AccountName:string AccountSid:string AccountUpn:string AccountObjectId:string LogonId:long
    ${INITIATING_PROCESS_ACCOUNT} InitiatingProcessLogonId:long InitiatingProcessIntegrityLevel:string
    InitiatingProcessTokenElevation:string InitiatingProcessSHA1:string InitiatingProcessSHA256:string InitiatingProcessMD5:string
    InitiatingProcessFileName:string InitiatingProcessFileSize:long ${INITIATING_PROCESS_VERSION_INFO}
    InitiatingProcessId:long InitiatingProcessCommandLine:string InitiatingProcessCreationTime:datetime
    InitiatingProcessFolderPath:string InitiatingProcessParentId:long InitiatingProcessParentFileName:string
    InitiatingProcessParentCreationTime:datetime InitiatingProcessSignerType:string InitiatingProcessSignatureStatus:string
    ReportId:long AppGuardContainerId:string AdditionalFields:dynamic ${INITIATING_PROCESS_SESSION}
    CreatedProcessSessionId:long IsProcessRemoteSession:bool ProcessRemoteSessionDeviceName:string ProcessRemoteSessionIP:string
    ProcessUniqueId:string
  `),
};

const DeviceNetworkEvents: TableSchema = {
  name: 'DeviceNetworkEvents',
  columns: columns(`
    Timestamp:datetime DeviceId:string DeviceName:string ActionType:string RemoteIP:string RemotePort:int RemoteUrl:string
    LocalIP:string LocalPort:int Protocol:string LocalIPType:string RemoteIPType:string
    InitiatingProcessSHA1:string InitiatingProcessSHA256:string InitiatingProcessMD5:string InitiatingProcessFileName:string
    InitiatingProcessFileSize:long ${INITIATING_PROCESS_VERSION_INFO} InitiatingProcessId:long
    InitiatingProcessCommandLine:string InitiatingProcessCreationTime:datetime InitiatingProcessFolderPath:string
    InitiatingProcessParentFileName:string InitiatingProcessParentId:long InitiatingProcessParentCreationTime:datetime
    ${INITIATING_PROCESS_ACCOUNT} InitiatingProcessIntegrityLevel:string InitiatingProcessTokenElevation:string
    ReportId:long AppGuardContainerId:string AdditionalFields:dynamic ${INITIATING_PROCESS_SESSION}
  `),
};

const DeviceFileEvents: TableSchema = {
  name: 'DeviceFileEvents',
  columns: columns(`
    Timestamp:datetime DeviceId:string DeviceName:string ActionType:string FileName:string FolderPath:string
    SHA1:string SHA256:string MD5:string FileOriginUrl:string FileOriginReferrerUrl:string FileOriginIP:string
    PreviousFolderPath:string PreviousFileName:string FileSize:long
    ${INITIATING_PROCESS_ACCOUNT} InitiatingProcessMD5:string InitiatingProcessSHA1:string InitiatingProcessSHA256:string
    InitiatingProcessFolderPath:string InitiatingProcessFileName:string InitiatingProcessFileSize:long
    ${INITIATING_PROCESS_VERSION_INFO} InitiatingProcessId:long InitiatingProcessCommandLine:string
    InitiatingProcessCreationTime:datetime InitiatingProcessIntegrityLevel:string InitiatingProcessTokenElevation:string
    InitiatingProcessParentId:long InitiatingProcessParentFileName:string InitiatingProcessParentCreationTime:datetime
    RequestProtocol:string RequestSourceIP:string RequestSourcePort:int RequestAccountName:string RequestAccountDomain:string
    RequestAccountSid:string ShareName:string SensitivityLabel:string SensitivitySubLabel:string
    IsAzureInfoProtectionApplied:bool ReportId:long AppGuardContainerId:string AdditionalFields:dynamic
    ${INITIATING_PROCESS_SESSION}
  `),
};

const DeviceInfo: TableSchema = {
  name: 'DeviceInfo',
  columns: columns(`
    Timestamp:datetime DeviceId:string DeviceName:string ClientVersion:string PublicIP:string OSArchitecture:string
    OSPlatform:string OSBuild:long IsAzureADJoined:bool JoinType:string AadDeviceId:string LoggedOnUsers:dynamic
    RegistryDeviceTag:string OSVersion:string MachineGroup:string ReportId:long OnboardingStatus:string
    AdditionalFields:dynamic DeviceCategory:string DeviceType:string DeviceSubtype:string Model:string Vendor:string
    OSDistribution:string OSVersionInfo:string MergedDeviceIds:string MergedToDeviceId:string IsInternetFacing:bool
    SensorHealthState:string IsExcluded:bool ExclusionReason:string ExposureLevel:string AssetValue:string
    DeviceManualTags:string DeviceDynamicTags:string HardwareUuid:string CloudPlatforms:string AzureVmId:string
    AzureResourceId:string AzureVmSubscriptionId:string GcpFullResourceName:string AwsResourceName:string
    IsTransient:bool OsBuildRevision:string HostDeviceId:string MitigationStatus:dynamic ConnectivityType:string
  `),
};

const IdentityInfo: TableSchema = {
  name: 'IdentityInfo',
  columns: columns(`
    Timestamp:datetime ReportId:string AccountObjectId:string AccountUpn:string OnPremSid:string AccountDisplayName:string
    AccountName:string AccountDomain:string Type:string DistinguishedName:string CloudSid:string GivenName:string
    Surname:string Department:string JobTitle:string EmailAddress:string SipProxyAddress:string Address:string City:string
    Country:string IsAccountEnabled:bool Manager:string Phone:string CreatedDateTime:datetime SourceProvider:string
    ChangeSource:string BlastRadius:string CompanyName:string DeletedDateTime:datetime EmployeeId:string
    OtherMailAddresses:dynamic RiskLevel:string RiskLevelDetails:string State:string Tags:dynamic AssignedRoles:dynamic
  `),
};

export const DEFENDER_TABLES: readonly TableSchema[] = [
  DeviceFileCertificateInfo, DeviceProcessEvents, DeviceNetworkEvents, DeviceFileEvents, DeviceInfo, IdentityInfo,
];
